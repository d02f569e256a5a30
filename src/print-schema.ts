/**
 * Prints devicegraph's subgraph SDL — what a supergraph composes and `rover subgraph publish
 * --schema` takes — to stdout, or to the file named by the first argument. With `--client` it
 * prints the API schema frontends compile against instead: the same types and fields without the
 * federation machinery (`_entities`, `_service`, `link__*`, `@key`…).
 *
 *   npm run --silent schema:print > devicegraph.graphql
 *   npm run --silent schema:print -- --client > schema.graphql
 *   npx tsx src/print-schema.ts [--client] devicegraph.graphql
 */
import { writeFileSync } from 'node:fs';
import { printClientSdl } from './graph/client-schema.js';
import { buildDeviceGraphSchema, printSubgraphSdl } from './graph/schema.js';

const args = process.argv.slice(2);
const client = args.includes('--client');
const unknown = args.filter((arg) => arg.startsWith('--') && arg !== '--client');
if (unknown.length > 0) {
  console.error(`Unknown option ${unknown.join(', ')}; the only option is --client.`);
  process.exit(2);
}
const target = args.find((arg) => !arg.startsWith('--'));
const schema = buildDeviceGraphSchema();
const sdl = client ? printClientSdl(schema) : printSubgraphSdl(schema);
if (target && target !== '-') {
  writeFileSync(target, sdl);
  console.error(`devicegraph ${client ? 'client schema' : 'subgraph SDL'} written to ${target}`);
} else {
  process.stdout.write(sdl);
}
