import { startDeviceGraph } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { vendorEndpoints } from './endpoints.js';
import { createTelemetry } from './telemetry.js';
import { createVendorClients } from './vendors/clients.js';
import { VENDOR_LABELS, VENDORS } from './vendors/vendor.js';

/** Start-up: config → vendors (real or simulated) → Apollo Server → HTTP. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  // Imported only when used: the simulators need node-forge, a development dependency.
  const { startSimulators } = await import('./simulators/index.js');
  const running = await startSimulators(VENDORS.filter((vendor) => config.vendors[vendor].mode === 'simulated'));
  const endpoints = vendorEndpoints(config.vendors, running.endpoints);
  for (const vendor of VENDORS) {
    const simulator = running.simulators[vendor];
    const where = simulator ? `built-in simulator at ${simulator.url}` : `real vendor at ${new URL(endpoints[vendor].baseUrl).origin}`;
    console.log(`${VENDOR_LABELS[vendor]}: ${where}`);
  }
  const telemetry = createTelemetry({ logLevel: config.logLevel });
  const clients = createVendorClients(endpoints, { observer: telemetry.vendorObserver });
  const graph = await startDeviceGraph({
    clients,
    automoxDefaultOrgId: config.automoxDefaultOrgId ?? running.automoxDefaultOrgId,
    host: config.host,
    port: config.port,
    corsOrigins: config.corsOrigins,
    apiTokens: config.apiTokens,
    introspection: config.introspection,
    graphiql: config.graphiql,
    telemetry,
  });
  console.log(`devicegraph is serving GraphQL at ${graph.url}${config.graphiql ? ' (open it in a browser for GraphiQL)' : ''}`);

  const stop = async () => {
    await graph.close();
    await clients.close();
    await running.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

await main();
