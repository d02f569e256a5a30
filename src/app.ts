import { randomUUID, createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Server as NetServer, type AddressInfo } from 'node:net';
import { ApolloServer, HeaderMap, type ApolloServerPlugin, type HTTPGraphQLRequest } from '@apollo/server';
import type { GraphQLSchema } from 'graphql';
import { context as otelContext, SpanStatusCode, trace, type Context } from '@opentelemetry/api';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { cacheHintsPlugin } from './graph/cache-hints.js';
import { createGraphContext, type GraphContext } from './graph/context.js';
import { formatError } from './graph/format-error.js';
import { KnownOperationTypesRule } from './graph/checks/operation-types.js';
import { preExecutionChecksPlugin } from './graph/checks/pre-execution.js';
import { partialErrorsPlugin } from './graph/partial-errors.js';
import { MAX_VENDOR_CALLS } from './graph/checks/operation-limits.js';
import { buildDeviceGraphSchema } from './graph/schema.js';
import { startGraphServers, type GraphServers } from './graph/federated-tracing.js';
import { shareEmptyArguments } from './graph/empty-arguments.js';
import { serveGraphiQL } from './graphiql/serve.js';
import { runInOperationScope } from './vendors/http/operation-scope.js';
import { createTelemetry, type Telemetry } from './telemetry.js';
import { readCapped } from './vendors/http/capped-body.js';
import type { VendorClients } from './vendors/clients.js';
import type { SharedState } from './vendors/http/shared-store.js';
import { VENDORS, type VendorName } from './vendors/vendor.js';

export interface DeviceGraphOptions {
  clients: VendorClients;
  automoxDefaultOrgId?: string | undefined;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** Browser origins allowed to call `/graphql` cross-origin. */
  corsOrigins?: readonly string[];
  /** When non-empty, every GraphQL request needs `Authorization: Bearer <one of these>`. */
  apiTokens?: readonly string[];
  /** Answer schema introspection (default true). */
  introspection?: boolean;
  /** Serve GraphiQL on GET `/graphql` (default true). */
  graphiql?: boolean;
  /** The time one GraphQL operation may spend on vendor calls, retries included (default 10 s). */
  operationTimeoutMs?: number;
  /** Logs and metrics; a silent instance when absent. */
  telemetry?: Telemetry;
  /** Where the vendor cache, coalescing and rate budgets keep shared state now (for `/healthz`). */
  sharedState?: () => SharedState;
}

/** A running devicegraph HTTP server. */
export interface DeviceGraph {
  /** The GraphQL endpoint, e.g. `http://127.0.0.1:4000/graphql`. */
  url: string;
  /**
   * Graceful stop: `/readyz` turns 503, no new connection is accepted, requests in flight finish
   * (for at most `graceMs`), then every connection is closed. Resolves with how many requests
   * were cut off when the grace ran out (0 when all finished).
   */
  shutdown(graceMs: number): Promise<{ cut: number }>;
  /** Stops at once, cutting what is in flight. */
  close(): Promise<void>;
}

/** The most bytes a request body may have. */
const MAX_BODY_BYTES = 1_000_000;
const DEFAULT_OPERATION_TIMEOUT_MS = 10_000;

/**
 * Starts Apollo Server on node:http: `/graphql` (GraphQL, and GraphiQL for browsers), the open
 * probes `/livez`, `/readyz` and `/healthz`, and `/metrics` (Prometheus).
 */
export async function startDeviceGraph(options: DeviceGraphOptions): Promise<DeviceGraph> {
  const telemetry = options.telemetry ?? createTelemetry({ logLevel: 'silent' });
  telemetry.watchCircuits(() => circuitStates(options.clients));
  shareEmptyArguments();
  const createApollo = (schema: GraphQLSchema) => new ApolloServer<GraphContext>({
    schema,
    logger: telemetry.logger,
    // A masked error is logged with its stack; the request id and trace id come with the log line.
    formatError: (formatted, error) => formatError(formatted, error, (internal) => telemetry.logger.error({ err: internal }, 'internal error')),
    includeStacktraceInErrorResponses: false,
    // devicegraph drains on SIGTERM itself (DeviceGraph.shutdown); Apollo's own handler would stop mid-request.
    stopOnTerminationSignals: false,
    introspection: options.introspection ?? true,
    validationRules: [KnownOperationTypesRule],
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      ApolloServerPluginCacheControlDisabled(),
      cacheHintsPlugin({ privateResponses: (options.apiTokens ?? []).length > 0 }),
      preExecutionChecksPlugin,
      partialErrorsPlugin,
      metricsPlugin(telemetry),
    ],
  });
  const routes: Routes = {
    graph: await startGraphServers(createApollo, buildDeviceGraphSchema),
    context: async () => createGraphContext(options.clients, options.automoxDefaultOrgId),
    options,
    telemetry,
    tokenDigests: (options.apiTokens ?? []).map(digest),
    draining: false,
  };

  let inFlight = 0;
  let settled: (() => void) | undefined;
  const server = createServer((req, res) => {
    const started = performance.now();
    const exchange: Exchange = { requestId: readRequestId(req), context: telemetry.tracing.callerContext(req.headers) };
    const { requestId } = exchange;
    inFlight++;
    res.on('close', () => {
      inFlight--;
      if (inFlight === 0) settled?.();
    });
    res.setHeader('x-request-id', requestId);
    // While draining, connections kept alive from before carry this one answer and then close.
    if (routes.draining) res.setHeader('connection', 'close');
    res.on('finish', () =>
      otelContext.with(exchange.context, () =>
        telemetry.logger.info(
          { requestId, method: req.method, path: (req.url ?? '/').split('?')[0], status: res.statusCode, ms: Math.round(performance.now() - started) },
          'request',
        ),
      ),
    );
    otelContext.with(exchange.context, () => handle(routes, exchange, req, res)).catch((error: unknown) => {
      if (isClientAbort(req, error)) {
        // Nothing failed here and no one is left to answer: one line, not an error.
        otelContext.with(exchange.context, () =>
          telemetry.logger.info(
            { requestId, method: req.method, path: (req.url ?? '/').split('?')[0], reason: 'the client closed the connection before sending its whole request body' },
            'request aborted',
          ),
        );
        res.destroy();
        return;
      }
      otelContext.with(exchange.context, () => telemetry.logger.error({ requestId, err: error }, 'request failed'));
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ errors: [{ message: 'Internal server error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] }));
    });
  });
  // A router in front keeps idle connections open for reuse: the server must not be the one to
  // close them first, or a request sent on one just as it closes fails ("socket hang up").
  server.keepAliveTimeout = 75_000;
  await listen(server, options.host ?? '127.0.0.1', options.port ?? 0);
  const { address, port } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;
  const closed = new Promise<void>((resolve) => server.once('close', () => resolve()));
  let stopping: Promise<{ cut: number }> | undefined;
  const stop = (graceMs: number) =>
    (stopping ??= (async () => {
      routes.draining = true;
      // net.Server#close stops accepting but, unlike http.Server#close, leaves idle keep-alive
      // connections open: a request a client already sent on one is answered, not reset.
      NetServer.prototype.close.call(server);
      let cut = 0;
      if (inFlight > 0) {
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([
          new Promise<void>((resolve) => (settled = resolve)),
          new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs))),
        ]);
        clearTimeout(timer);
        cut = inFlight;
      }
      server.closeAllConnections();
      await closed;
      await routes.graph.stop();
      return { cut };
    })());
  return {
    url: `http://${host}:${port}/graphql`,
    shutdown: stop,
    async close() {
      await stop(0);
    },
  };
}

interface Routes {
  graph: GraphServers<GraphContext>;
  context: () => Promise<GraphContext>;
  options: DeviceGraphOptions;
  telemetry: Telemetry;
  tokenDigests: Buffer[];
  /** Shutting down: not ready, finishing what is in flight. */
  draining: boolean;
}

/** One HTTP request as logs and traces see it. */
interface Exchange {
  requestId: string;
  /** The caller's trace context; the operation span's once a GraphQL operation starts. */
  context: Context;
}

async function handle(routes: Routes, exchange: Exchange, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const { options } = routes;
  const url = requestUrl(req.url ?? '/');
  if (url.pathname === '/livez') {
    sendJson(res, 200, { status: 'ok' });
    return;
  }
  if (url.pathname === '/readyz') {
    sendJson(res, routes.draining ? 503 : 200, { status: routes.draining ? 'draining' : 'ready', vendors: vendorStates(routes) });
    return;
  }
  if (url.pathname === '/healthz') {
    // Degraded still serves every request: each replica works alone until Redis is back.
    const sharedState = options.sharedState?.() ?? 'local';
    sendJson(res, 200, { status: sharedState === 'degraded' ? 'degraded' : 'ok', sharedState, vendors: vendorStates(routes) });
    return;
  }
  if (url.pathname === '/metrics') {
    if (!authorized(routes, req)) return unauthorized(res);
    res.writeHead(200, { 'content-type': routes.telemetry.registry.contentType }).end(await routes.telemetry.registry.metrics());
    return;
  }
  if (url.pathname !== '/graphql' && !url.pathname.startsWith('/graphiql/')) {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found: the GraphQL endpoint is /graphql\n');
    return;
  }
  if (!applyCors(options.corsOrigins ?? [], req, res)) return;
  if (options.graphiql !== false && (await serveGraphiQL(req, res))) return;
  if (url.pathname !== '/graphql') {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found\n');
    return;
  }
  if (!authorized(routes, req)) return unauthorized(res);
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
  const deadline = Date.now() + (options.operationTimeoutMs ?? DEFAULT_OPERATION_TIMEOUT_MS);
  const apollo = await routes.graph.serverFor(headers);
  const operation = routes.telemetry.tracing.startOperation(exchange.context);
  exchange.context = operation.context;
  let response;
  try {
    response = await otelContext.with(operation.context, () =>
      runInOperationScope({ requestId: exchange.requestId, deadline, maxVendorCalls: MAX_VENDOR_CALLS }, () =>
        apollo.executeHTTPGraphQLRequest({ httpGraphQLRequest: request, context: routes.context }),
      ),
    );
  } finally {
    operation.span.end();
  }
  res.statusCode = response.status ?? 200;
  for (const [name, value] of response.headers) res.setHeader(name, value);
  if (response.body.kind === 'complete') {
    res.end(response.body.string);
    return;
  }
  for await (const chunk of response.body.asyncIterator) res.write(chunk);
  res.end();
}

/**
 * Each vendor's circuit and whether its last call was refused for bad credentials. Neither makes
 * the instance unready: every instance shares the vendor, and the other vendors' fields still work.
 */
function vendorStates(routes: Routes) {
  const circuits = circuitStates(routes.options.clients);
  const refused = routes.telemetry.credentialsRefused();
  return Object.fromEntries(VENDORS.map((vendor) => [vendor, { circuit: circuits[vendor], credentialsRefused: refused[vendor] }]));
}

function circuitStates(clients: VendorClients) {
  const breakers = clients.breakers();
  return Object.fromEntries(VENDORS.map((vendor) => [vendor, breakers[vendor].state])) as Record<VendorName, (typeof breakers)[VendorName]['state']>;
}

/**
 * CORS for the listed origins only: a listed origin gets the allow headers (and its preflight a
 * 204); an unlisted origin gets none, so browsers refuse the response, and its preflight a 403.
 * Returns false when the request has been answered (a preflight).
 */
function applyCors(allowed: readonly string[], req: IncomingMessage, res: ServerResponse): boolean {
  const origin = req.headers.origin;
  const listed = origin !== undefined && allowed.includes(origin);
  // The answer depends on the Origin header whenever CORS is configured: caches must know.
  if (allowed.length > 0) res.setHeader('vary', 'Origin');
  if (listed) res.setHeader('access-control-allow-origin', origin);
  if (req.method !== 'OPTIONS') return true;
  if (!listed) {
    res.writeHead(403, { 'content-type': 'text/plain' }).end('Origin not allowed\n');
    return false;
  }
  res.writeHead(204, {
    'access-control-allow-methods': 'GET, POST, OPTIONS',
    'access-control-allow-headers': 'content-type, authorization, apollo-require-preflight, x-apollo-operation-name, x-request-id',
    'access-control-max-age': '600',
  });
  res.end();
  return false;
}

/** Constant-time check of the bearer token against the configured ones (all compared, by digest). */
function authorized(routes: Routes, req: IncomingMessage): boolean {
  if (routes.tokenDigests.length === 0) return true;
  const token = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1]?.trim();
  if (!token) return false;
  const presented = digest(token);
  return routes.tokenDigests.reduce((match, known) => timingSafeEqual(known, presented) || match, false);
}

function digest(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}

function unauthorized(res: ServerResponse): void {
  res.setHeader('www-authenticate', 'Bearer');
  sendJson(res, 401, { errors: [{ message: 'A valid API token is required: send Authorization: Bearer <token>.', extensions: { code: 'UNAUTHENTICATED' } }] });
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

/** The caller's `x-request-id` when it is a sane token, else a new one. */
function readRequestId(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && /^[A-Za-z0-9._-]{1,64}$/.test(given) ? given : randomUUID();
}

/**
 * Counts operations, their durations and the codes of the errors they answered with, and names
 * the operation span as the semantic conventions do (`query DeviceAudit`), with its type and name
 * (never the document or the variables).
 */
function metricsPlugin(telemetry: Telemetry): ApolloServerPlugin<GraphContext> {
  return {
    async requestDidStart() {
      const started = performance.now();
      const span = trace.getActiveSpan();
      return {
        async didResolveOperation({ operation, operationName }) {
          if (!operation) return;
          const name = operationName ?? undefined;
          span?.updateName(name ? `${operation.operation} ${name}` : operation.operation);
          span?.setAttributes({ 'graphql.operation.type': operation.operation, ...(name ? { 'graphql.operation.name': name } : {}) });
        },
        async willSendResponse({ operation, operationName, response }) {
          const errors = response.body.kind === 'single' ? (response.body.singleResult.errors ?? []) : [];
          const errorCodes = errors.map((error) => String(error.extensions?.code ?? 'UNKNOWN'));
          if (errorCodes.length > 0) span?.setStatus({ code: SpanStatusCode.ERROR, message: [...new Set(errorCodes)].join(', ') });
          telemetry.recordOperation({
            type: operation?.operation ?? 'unknown',
            name: operation ? (operationName ?? undefined) : undefined,
            durationMs: performance.now() - started,
            errorCodes,
          });
        },
      };
    },
  };
}

/** A path of plain segments (`/graphql`, the probes): the URL parser would return it as it is, with no query. */
const PLAIN_PATH = /^(?:\/[\w-]+)+$/;

/** The path and query string of a request target. */
function requestUrl(target: string): { pathname: string; search: string } {
  return PLAIN_PATH.test(target) ? { pathname: target, search: '' } : new URL(target, 'http://devicegraph.invalid');
}

/** The body as text, or `undefined` when it is larger than allowed (the rest is read and dropped, so the connection answers its next request). */
async function readBody(req: IncomingMessage): Promise<string | undefined> {
  return (await readCapped(req, MAX_BODY_BYTES, () => req.resume()))?.toString('utf8');
}

/** Whether reading the request failed because its client went away mid-body (Node's `aborted`, ECONNRESET). */
function isClientAbort(req: IncomingMessage, error: unknown): boolean {
  return !req.complete && (error as { code?: unknown } | null)?.code === 'ECONNRESET';
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
