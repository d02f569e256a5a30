/**
 * The stack floor of the suite's latency (`bench/run.ts`), in a process of its own: Apollo Server 5
 * and graphql-js as devicegraph runs them (on node:http, `NODE_ENV=production`), serving
 * devicegraph's schema with none of devicegraph's code. `POST /stack-floor?replay=<url>&calls=N&depth=D`
 * reads and parses the JSON request, makes the operation's vendor calls as the floor does
 * (`bench/floor-requests.ts`), then has Apollo parse, validate and execute the request over the
 * data devicegraph answered to that operation (recorded once and sent with a `record` request):
 * every field answers what devicegraph answered under its response name, so the answer is
 * devicegraph's to the byte. An operation's latency minus its stack floor is what devicegraph's own
 * code adds to the stack it is built on.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer, HeaderMap } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { readTypeDefs } from '../src/graph/schema.js';
import { serveRunner } from './child.js';
import { closeVendorPools, makeVendorCalls, readText } from './floor-requests.js';

export type StackFloorRequest =
  /** From now on, requests are answered over `data`: devicegraph's answer to the operation with every object's `__typename`. */
  { type: 'record'; data: unknown } | { type: 'close' };

export interface StackFloorReady {
  url: string;
}

let recorded: unknown;

const apollo = new ApolloServer({
  // Built as devicegraph builds it, so that the federation directives parse; without resolvers,
  // graphql-js's default type resolver reads each object's recorded `__typename`.
  schema: buildSubgraphSchema({ typeDefs: parse(readTypeDefs()) }),
  rootValue: () => recorded,
  // The response name, not the field name: an alias answers what devicegraph answered under it.
  fieldResolver: (source: Record<string | number, unknown>, _args, _context, info) => source[info.path.key],
  // Apollo's own settings as devicegraph has them; its validation rule and plugins are devicegraph's code.
  introspection: true,
  stopOnTerminationSignals: false,
  plugins: [ApolloServerPluginLandingPageDisabled(), ApolloServerPluginCacheControlDisabled()],
});
await apollo.start();

async function answer(req: IncomingMessage): Promise<{ status: number; headers: Record<string, string>; text: string }> {
  const { searchParams } = new URL(req.url ?? '/', 'http://stack-floor.invalid');
  const body: unknown = JSON.parse(await readText(req));
  await makeVendorCalls(searchParams);
  const headers = new HeaderMap();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  const response = await apollo.executeHTTPGraphQLRequest({ httpGraphQLRequest: { method: req.method ?? 'POST', headers, search: '', body }, context: async () => ({}) });
  if (response.body.kind !== 'complete') throw new Error('the stack floor answers no incremental delivery');
  return { status: response.status ?? 200, headers: Object.fromEntries(response.headers), text: response.body.string };
}

const server = createServer((req, res) => {
  answer(req).then(
    ({ status, headers, text }) => res.writeHead(status, headers).end(text),
    (error: unknown) => res.writeHead(500, { 'content-type': 'text/plain' }).end(String(error)),
  );
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

serveRunner<StackFloorRequest, object>(
  { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/stack-floor` } satisfies StackFloorReady,
  (request) => {
    if (request.type === 'record') recorded = request.data;
    return {};
  },
  async () => {
    server.closeAllConnections();
    await Promise.all([new Promise((resolve) => server.close(resolve)), closeVendorPools(), apollo.stop()]);
  },
);
