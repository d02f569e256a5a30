/**
 * Prints devicegraph's subgraph SDL — what a supergraph composes and `rover subgraph publish
 * --schema` takes — to stdout, or to the file named by the first argument:
 *
 *   npm run schema:print --silent > devicegraph.graphql
 *   npx tsx src/print-schema.ts devicegraph.graphql
 */
import { writeFileSync } from 'node:fs';
import { printSubgraphSdl } from './graph/schema.js';

const sdl = printSubgraphSdl();
const target = process.argv[2];
if (target && target !== '-') {
  writeFileSync(target, sdl);
  console.error(`devicegraph subgraph SDL written to ${target}`);
} else {
  process.stdout.write(sdl);
}
