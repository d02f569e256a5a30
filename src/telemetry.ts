import { context, isSpanContextValid, trace } from '@opentelemetry/api';
import { pino, type Logger } from 'pino';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { createTracing, type Tracing, type TracingOptions } from './tracing.js';
import { currentOperationScope } from './vendors/http/operation-scope.js';
import type { CircuitState } from './vendors/http/call-policy.js';
import type { VendorCallObserver } from './vendors/http/vendor-http.js';
import type { ScaleObserver } from './vendors/http/scale.js';
import type { SharedState } from './vendors/http/shared-store.js';
import { VENDOR_LABELS, VENDORS, type VendorName } from './vendors/vendor.js';

/** Logs, Prometheus metrics and traces of one devicegraph instance. */
export interface Telemetry {
  logger: Logger;
  registry: Registry;
  tracing: Tracing;
  /** Logs one line per vendor call attempt (debug; warn when it failed) and feeds the vendor metrics. */
  vendorObserver: VendorCallObserver;
  /** Per vendor: whether its last call was refused for bad credentials (HTTP 401/403). */
  credentialsRefused(): Record<VendorName, boolean>;
  /** Counts one GraphQL operation, its duration by operation name, and its errors by code. */
  recordOperation(operation: { type: string; name: string | undefined; durationMs: number; errorCodes: readonly string[] }): void;
  /** Reads each vendor's circuit state when `/metrics` is scraped. */
  watchCircuits(read: () => Record<VendorName, CircuitState>): void;
  /** Exports the spans still buffered. */
  shutdown(): Promise<void>;
  /** Counts cache outcomes, coalesced calls, budget waits and cooldowns. */
  scaleObserver: ScaleObserver;
  /** Where shared state lives now; logged when it changes. */
  sharedState(state: SharedState): void;
  /** A Redis command failed or timed out (the replica went on in-process). */
  sharedStoreFailure(): void;
}

const SHARED_STATE_VALUES: Record<SharedState, number> = { local: 0, shared: 1, degraded: 2 };

/** Operation names are chosen by clients: past this many distinct ones, the rest share one label. */
const MAX_OPERATION_NAMES = 200;

const CIRCUIT_VALUES: Record<CircuitState, number> = { closed: 0, 'half-open': 1, open: 2 };

/**
 * Builds the logger and a metrics registry of its own (not prom-client's global one, so several
 * instances, as in tests, never clash). Log lines carry no headers, no query strings and no
 * bodies; the one vendor text they carry, a vendor's error message, is redacted of credentials.
 */
export function createTelemetry(options: { logLevel?: string; destination?: NodeJS.WritableStream; tracing?: TracingOptions } = {}): Telemetry {
  const logger = createLogger(options);
  const tracing = createTracing(options.tracing);
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const vendorCalls = new Counter({
    name: 'devicegraph_vendor_calls_total',
    help: 'Vendor call attempts, by vendor and outcome (ok or the error code).',
    labelNames: ['vendor', 'outcome'],
    registers: [registry],
  });
  const vendorLatency = new Histogram({
    name: 'devicegraph_vendor_call_duration_seconds',
    help: 'Duration of vendor call attempts.',
    labelNames: ['vendor'],
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const operations = new Counter({
    name: 'devicegraph_graphql_operations_total',
    help: 'GraphQL operations, by operation type.',
    labelNames: ['type'],
    registers: [registry],
  });
  const operationLatency = new Histogram({
    name: 'devicegraph_graphql_operation_duration_seconds',
    help: 'Duration of GraphQL operations, by operation name (`(anonymous)` without one, `(other)` past 200 names) and type.',
    labelNames: ['operation', 'type'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const operationNames = new Set<string>();
  const errors = new Counter({
    name: 'devicegraph_graphql_errors_total',
    help: 'Errors in GraphQL responses, by extensions.code.',
    labelNames: ['code'],
    registers: [registry],
  });
  let readCircuits: (() => Record<VendorName, CircuitState>) | undefined;
  new Gauge({
    name: 'devicegraph_vendor_circuit_state',
    help: 'Circuit breaker state per vendor: 0 closed, 1 half-open, 2 open.',
    labelNames: ['vendor'],
    registers: [registry],
    collect() {
      const states = readCircuits?.();
      if (!states) return;
      for (const vendor of VENDORS) this.set({ vendor }, CIRCUIT_VALUES[states[vendor]]);
    },
  });

  const refused = Object.fromEntries(VENDORS.map((vendor) => [vendor, false])) as Record<VendorName, boolean>;

  const cacheOutcomes = new Counter({
    name: 'devicegraph_vendor_cache_total',
    help: 'Vendor GETs by cache outcome: hit (served from the cache), miss (fetched), stale (a cached answer stood in for a failing vendor).',
    labelNames: ['vendor', 'outcome'],
    registers: [registry],
  });
  const coalesced = new Counter({
    name: 'devicegraph_vendor_coalesced_total',
    help: 'Vendor GETs that joined an identical call in flight, in this replica or in another (shared).',
    labelNames: ['vendor', 'where'],
    registers: [registry],
  });
  const budgetWaits = new Histogram({
    name: 'devicegraph_vendor_budget_wait_seconds',
    help: 'How long vendor calls that had to wait waited for their rate budget or a cooldown.',
    labelNames: ['vendor'],
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const cooldowns = new Counter({
    name: 'devicegraph_vendor_cooldowns_total',
    help: 'Rate-limit answers (429, Retry-After, the vendor’s own code) that held every replica’s calls to the vendor.',
    labelNames: ['vendor'],
    registers: [registry],
  });
  const sharedState = new Gauge({
    name: 'devicegraph_shared_state',
    help: 'Where shared state (cache, locks, budgets) lives: 0 in-process (no Redis), 1 Redis, 2 degraded (Redis failing, in-process).',
    registers: [registry],
  });
  const storeFailures = new Counter({
    name: 'devicegraph_redis_failures_total',
    help: 'Redis commands that failed or timed out; each one sends the replica in-process until Redis answers again.',
    registers: [registry],
  });

  return {
    logger,
    registry,
    tracing,
    scaleObserver: {
      cache: (vendor, outcome) => cacheOutcomes.inc({ vendor, outcome }),
      coalesced: (vendor, where) => coalesced.inc({ vendor, where }),
      budgetWait: (vendor, ms) => budgetWaits.observe({ vendor }, ms / 1000),
      cooldown: (vendor) => cooldowns.inc({ vendor }),
    },
    sharedState(state) {
      sharedState.set(SHARED_STATE_VALUES[state]);
      if (state === 'degraded') logger.warn({ sharedState: state }, 'Redis is failing: cache, coalescing and rate budgets go on in-process');
      else logger.info({ sharedState: state }, 'shared state');
    },
    sharedStoreFailure: () => storeFailures.inc(),
    vendorObserver(event) {
      vendorCalls.inc({ vendor: event.vendor, outcome: event.outcome });
      vendorLatency.observe({ vendor: event.vendor }, event.durationMs / 1000);
      const refusedNow = event.outcome === 'VENDOR_UNAUTHENTICATED';
      // Once per streak: the first refusal is an operator's to fix; the ones after it add nothing.
      if (refusedNow && !refused[event.vendor]) {
        logger.error(
          { vendor: event.vendor, path: event.path, status: event.status },
          `${VENDOR_LABELS[event.vendor]} refused devicegraph's credentials (HTTP ${event.status}): fix them in the configuration; its fields fail with VENDOR_UNAUTHENTICATED until then`,
        );
      } else if (!refusedNow && refused[event.vendor] && event.outcome === 'ok') {
        logger.info({ vendor: event.vendor }, `${VENDOR_LABELS[event.vendor]} accepts devicegraph's credentials again`);
      }
      refused[event.vendor] = refusedNow;
      tracing.recordVendorCall(event);
      // A failed attempt stays visible at the default level; a successful one is detail.
      logger[event.outcome === 'ok' ? 'debug' : 'warn'](
        {
          requestId: event.requestId,
          vendor: event.vendor,
          path: event.path,
          status: event.status,
          outcome: event.outcome,
          ms: Math.round(event.durationMs),
          attempt: event.attempt,
          // Already redacted of credentials by the vendor client.
          vendorCode: event.vendorCode,
          vendorMessage: event.vendorMessage,
        },
        'vendor call',
      );
    },
    credentialsRefused: () => ({ ...refused }),
    recordOperation({ type, name, durationMs, errorCodes }) {
      operations.inc({ type });
      let operation = name ?? '(anonymous)';
      if (!operationNames.has(operation)) {
        if (operationNames.size < MAX_OPERATION_NAMES) operationNames.add(operation);
        else operation = '(other)';
      }
      operationLatency.observe({ operation, type }, durationMs / 1000);
      for (const code of errorCodes) errors.inc({ code });
    },
    watchCircuits(read) {
      readCircuits = read;
    },
    shutdown: () => tracing.shutdown(),
  };
}

/**
 * Resolves once every line a logger of createLogger's own stdout destination has taken is written,
 * or after `timeoutMs` (a closed stdout never says so). Needed before exiting: process.exit drops
 * a line an asynchronous write still holds, and pino writes a fatal line synchronously, ahead of
 * such a line (https://github.com/pinojs/sonic-boom/issues/101).
 */
export function logsWritten(logger: Logger, timeoutMs = 1_000): Promise<void> {
  const destination = (logger as unknown as Record<symbol, ReturnType<typeof pino.destination>>)[pino.symbols.streamSym]!;
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, timeoutMs);
    destination.once('drain', () => {
      clearTimeout(timer);
      resolve();
    });
    // Queued behind whatever is pending, so the destination says 'drain' once all of it is written.
    destination.write('');
  });
}

/**
 * devicegraph's JSON logger: to `destination` when given (tests), else to stdout through an
 * asynchronous buffer, so a log line never blocks a request (see logsWritten before exiting). A line
 * written inside a trace carries its `trace_id` and `span_id`, one written for a GraphQL operation
 * its `requestId`.
 */
export function createLogger(options: { logLevel?: string; destination?: NodeJS.WritableStream } = {}): Logger {
  return pino(
    {
      level: options.logLevel ?? 'info',
      base: { service: 'devicegraph', pid: process.pid },
      mixin() {
        const span = trace.getSpanContext(context.active());
        const requestId = currentOperationScope()?.requestId;
        return {
          ...(requestId === undefined ? {} : { requestId }),
          ...(span && isSpanContextValid(span) ? { trace_id: span.traceId, span_id: span.spanId } : {}),
        };
      },
    },
    options.destination ?? pino.destination({ dest: 1, sync: false }),
  );
}
