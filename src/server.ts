import type { Logger } from 'pino';
import { startDeviceGraph } from './app.js';
import { ConfigError, loadConfig, withDotEnv, type Config } from './config.js';
import { vendorEndpoints } from './endpoints.js';
import type * as Simulators from './simulators/index.js';
import { createLogger, createTelemetry, logsWritten } from './telemetry.js';
import { otlpExporterFromEnv } from './tracing.js';
import { createVendorClients, withScale } from './vendors/clients.js';
import { createScale } from './vendors/http/scale.js';
import { SharedStore } from './vendors/http/shared-store.js';
import { VENDOR_LABELS, VENDORS, type VendorName } from './vendors/vendor.js';

/**
 * Start-up: environment (and `.env`) → config → vendors (real or simulated) → Apollo Server →
 * HTTP; SIGTERM/SIGINT drain it. Everything it prints is a JSON log line.
 */
async function main(): Promise<void> {
  // .env's variables join the environment where it has none, so the OpenTelemetry exporter sees them too.
  Object.assign(process.env, withDotEnv());
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return fail(createLogger(), { problems: error.problems }, `devicegraph cannot start: ${error.problems.join(' ')}`);
  }
  const exporter = otlpExporterFromEnv();
  const telemetry = createTelemetry({ logLevel: config.logLevel, tracing: { ...(exporter ? { exporter } : {}) } });
  const { logger } = telemetry;
  logger.info({ export: exporter ? 'otlp' : 'none' }, exporter ? 'traces are exported with OTLP (OTEL_EXPORTER_OTLP_ENDPOINT)' : 'traces are not exported (no OTEL_EXPORTER_OTLP_ENDPOINT)');
  process.on('uncaughtException', (error) => void fail(logger, { err: error }, 'devicegraph stopped on an unexpected error'));

  const simulated = VENDORS.filter((vendor) => config.vendors[vendor].mode === 'simulated');
  const running = simulated.length > 0 ? await startSimulators(simulated, logger) : undefined;
  const endpoints = vendorEndpoints(config.vendors, running?.endpoints ?? {});
  for (const vendor of VENDORS) {
    const simulator = running?.simulators[vendor];
    if (simulator) {
      // Seeded, made-up data: fine on a laptop, worth a warning where NODE_ENV says production.
      logger[config.production ? 'warn' : 'info'](
        { vendor, mode: 'simulated', url: simulator.url },
        `${VENDOR_LABELS[vendor]}: built-in simulator at ${simulator.url} (made-up data)`,
      );
    } else {
      const origin = new URL(endpoints[vendor].baseUrl).origin;
      logger.info({ vendor, mode: 'real', origin }, `${VENDOR_LABELS[vendor]}: real vendor at ${origin}`);
    }
  }

  const store = new SharedStore({
    url: config.scale.redisUrl,
    commandTimeoutMs: config.scale.redisCommandTimeoutMs,
    onStateChange: (state) => telemetry.sharedState(state),
    onFailure: () => telemetry.sharedStoreFailure(),
  });
  await store.connect();
  telemetry.sharedState(store.state);
  const scale = createScale(store, { replicas: config.scale.replicas, graceSeconds: config.scale.graceSeconds, observer: telemetry.scaleObserver });
  const clients = createVendorClients(withScale(endpoints, scale, config.scale.vendors), { observer: telemetry.vendorObserver });
  let graph;
  try {
    graph = await startDeviceGraph({
      clients,
      automoxDefaultOrgId: config.automoxDefaultOrgId ?? running?.automoxDefaultOrgId,
      host: config.host,
      port: config.port,
      sharedState: () => store.state,
      corsOrigins: config.corsOrigins,
      apiTokens: config.apiTokens,
      introspection: config.introspection,
      graphiql: config.graphiql,
      telemetry,
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const where = `${config.host}:${config.port}`;
    if (code === 'EADDRINUSE') return fail(logger, { code, host: config.host, port: config.port }, `devicegraph cannot listen on ${where}: the port is in use; stop what holds it or set PORT`);
    if (code === 'EACCES' || code === 'EADDRNOTAVAIL') return fail(logger, { code, host: config.host, port: config.port }, `devicegraph cannot listen on ${where} (${code}): set HOST and PORT`);
    throw error;
  }
  logger.info(
    { url: graph.url, startupMs: Math.round(performance.now()) },
    `devicegraph is serving GraphQL at ${graph.url}${config.graphiql ? ' (open it in a browser for GraphiQL)' : ''}`,
  );

  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    // npm start and a terminal's Ctrl-C may both deliver the signal: the first one counts.
    if (stopping) return;
    stopping = true;
    logger.info({ signal, graceMs: config.shutdownGraceMs }, 'devicegraph is shutting down: not ready any more, finishing requests in flight');
    const { cut } = await graph.shutdown(config.shutdownGraceMs);
    await clients.close();
    await store.close();
    await running?.close();
    await telemetry.shutdown();
    if (cut > 0) logger.warn({ cut }, `devicegraph stopped; the grace period ran out with ${cut} requests unanswered`);
    else logger.info('devicegraph stopped');
    await logsWritten(logger);
    process.exit(cut > 0 ? 1 : 0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

/** The simulators, imported only when used: they need node-forge, a development dependency. */
async function startSimulators(vendors: readonly VendorName[], logger: Logger): Promise<Simulators.RunningSimulators> {
  let simulators: typeof Simulators;
  try {
    simulators = await import('./simulators/index.js');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ERR_MODULE_NOT_FOUND') throw error;
    return fail(logger, { err: error }, 'The vendor simulators need the development dependencies, which this install left out: configure every vendor for real, or install with them');
  }
  return simulators.startSimulators(vendors);
}

/** Logs why devicegraph cannot go on as its last line, then exits 1. */
async function fail(logger: Logger, details: object, message: string): Promise<never> {
  // pino writes a fatal line at once, ahead of any line still in flight: those land first.
  await logsWritten(logger);
  logger.fatal(details, message);
  await logsWritten(logger);
  process.exit(1);
}

await main().catch((error: unknown) => fail(createLogger(), { err: error }, 'devicegraph could not start'));
