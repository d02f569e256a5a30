/**
 * Prints devicegraph's subgraph SDL — what a supergraph composes and `rover subgraph publish
 * --schema` takes — to stdout, or to the file named by the first argument:
 *
 *   npm run schema:print --silent > devicegraph.graphql
 *   npx tsx src/print-schema.ts devicegraph.graphql
 *
 * The SDL is the one the running subgraph serves at `Query._service.sdl` (what `rover subgraph
 * introspect` and the router fetch), read from the built schema without starting a server.
 * `printSubgraphSchema` of @apollo/subgraph cannot print this schema: graphql-js 16.9+ counts
 * `@oneOf` among its specified directives, so that function's round trip through graphql-js drops
 * the `directive @oneOf` definition and federation's schema builder then refuses the `@oneOf` on
 * `TimelineSource` as an unknown directive.
 */
import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { execute, parse } from 'graphql';
import { buildDeviceGraphSchema } from './graph/schema.js';

/** devicegraph's SDL as a Federation 2 subgraph (`@link`, `@key` and `@shareable` included). */
export async function printDeviceGraphSubgraphSchema(): Promise<string> {
  const result = await execute({ schema: buildDeviceGraphSchema(), document: parse('{ _service { sdl } }') });
  const sdl = (result.data?._service as { sdl?: unknown } | undefined)?.sdl;
  if (result.errors?.length || typeof sdl !== 'string') {
    throw new Error(`Could not read the subgraph SDL: ${result.errors?.map((error) => error.message).join('; ') ?? 'no SDL'}`);
  }
  return sdl.endsWith('\n') ? sdl : `${sdl}\n`;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const sdl = await printDeviceGraphSubgraphSchema();
  const target = process.argv[2];
  if (target && target !== '-') {
    writeFileSync(target, sdl);
    console.error(`devicegraph subgraph SDL written to ${target}`);
  } else {
    process.stdout.write(sdl);
  }
}
