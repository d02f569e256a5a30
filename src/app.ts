import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer, HeaderMap, type HTTPGraphQLRequest } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { createGraphContext, type GraphContext } from './graph/context.js';
import { formatError } from './graph/format-error.js';
import { buildDeviceGraphSchema } from './graph/schema.js';
import { argumentCheckPlugin } from './graph/validation.js';
import type { VendorClients } from './vendors/clients.js';

export interface DeviceGraphOptions {
  clients: VendorClients;
  automoxDefaultOrgId?: string | undefined;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
}

/** A running devicegraph HTTP server. */
export interface DeviceGraph {
  /** The GraphQL endpoint, e.g. `http://127.0.0.1:4000/graphql`. */
  url: string;
  close(): Promise<void>;
}

/** The most bytes a request body may have. */
const MAX_BODY_BYTES = 1_000_000;

/** Starts Apollo Server on node:http, serving `/graphql`. */
export async function startDeviceGraph(options: DeviceGraphOptions): Promise<DeviceGraph> {
  const apollo = new ApolloServer<GraphContext>({
    schema: buildDeviceGraphSchema(),
    formatError,
    includeStacktraceInErrorResponses: false,
    plugins: [ApolloServerPluginLandingPageDisabled(), argumentCheckPlugin],
  });
  await apollo.start();
  const context = async () => createGraphContext(options.clients, options.automoxDefaultOrgId);

  const server = createServer((req, res) => {
    handle(apollo, context, req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ errors: [{ message: 'Internal server error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] }));
    });
  });
  await listen(server, options.host ?? '127.0.0.1', options.port ?? 0);
  const { address, port } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;
  return {
    url: `http://${host}:${port}/graphql`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await apollo.stop();
    },
  };
}

async function handle(
  apollo: ApolloServer<GraphContext>,
  context: () => Promise<GraphContext>,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://devicegraph.invalid');
  if (url.pathname !== '/graphql') {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found: the GraphQL endpoint is /graphql\n');
    return;
  }
  const body = await readBody(req);
  if (body === undefined) {
    res.writeHead(413, { 'content-type': 'text/plain' }).end('Request body too large\n');
    return;
  }
  const headers = new HeaderMap();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  const request: HTTPGraphQLRequest = { method: (req.method ?? 'GET').toUpperCase(), headers, search: url.search, body: parseBody(body, headers) };
  const response = await apollo.executeHTTPGraphQLRequest({ httpGraphQLRequest: request, context });
  res.statusCode = response.status ?? 200;
  for (const [name, value] of response.headers) res.setHeader(name, value);
  if (response.body.kind === 'complete') {
    res.end(response.body.string);
    return;
  }
  for await (const chunk of response.body.asyncIterator) res.write(chunk);
  res.end();
}

/** The body as text, or `undefined` when it is larger than allowed. */
async function readBody(req: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** JSON bodies are parsed (Apollo answers 400 for bad JSON when it sees a string); others pass as text. */
function parseBody(text: string, headers: HeaderMap): unknown {
  if (!(headers.get('content-type') ?? '').includes('json') || text === '') return text;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
}
