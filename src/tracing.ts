import { readFileSync } from 'node:fs';
import type { IncomingHttpHeaders } from 'node:http';
import { context, defaultTextMapGetter, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Context, type Span } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { AlwaysOffSampler, BasicTracerProvider, BatchSpanProcessor, SimpleSpanProcessor, type SpanExporter, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { ATTR_ERROR_TYPE, ATTR_HTTP_REQUEST_METHOD, ATTR_HTTP_RESPONSE_STATUS_CODE, ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';
import type { VendorCallEvent } from './vendors/http/vendor-http.js';

/** devicegraph's OpenTelemetry tracing: one span per GraphQL operation and one per vendor call attempt. */
export interface Tracing {
  /** The caller's trace context, from its W3C `traceparent` header (an empty context when it sent none). */
  callerContext(headers: IncomingHttpHeaders): Context;
  /** Starts the span of one GraphQL operation under `parent`; returns it and the context it is active in. */
  startOperation(parent: Context): { span: Span; context: Context };
  /** Records one vendor call attempt as a client span under the operation span active in the caller's context. */
  recordVendorCall(event: VendorCallEvent): void;
  /** Exports what is left and stops. */
  shutdown(): Promise<void>;
}

export interface TracingOptions {
  /** Where spans go; none: spans are not recorded, only their ids reach the logs. */
  exporter?: SpanExporter;
  /** Export each span as it ends (tests) instead of in batches. */
  immediate?: boolean;
}

const propagator = new W3CTraceContextPropagator();
// One context manager per process carries the active span across awaits; a second registration is refused harmlessly.
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());

const VERSION = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/** The OTLP/HTTP exporter when `OTEL_EXPORTER_OTLP_ENDPOINT` (or `…_TRACES_ENDPOINT`) is set; it reads the other `OTEL_*` variables itself. */
export function otlpExporterFromEnv(env: Record<string, string | undefined> = process.env): SpanExporter | undefined {
  return env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ? new OTLPTraceExporter() : undefined;
}

export function createTracing(options: TracingOptions = {}): Tracing {
  const processors: SpanProcessor[] = [];
  if (options.exporter) processors.push(options.immediate ? new SimpleSpanProcessor(options.exporter) : new BatchSpanProcessor(options.exporter));
  const provider = new BasicTracerProvider({
    // With nowhere to send spans, they only carry their ids to the logs: not recording spares building them.
    ...(options.exporter ? {} : { sampler: new AlwaysOffSampler() }),
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: process.env.OTEL_SERVICE_NAME || 'devicegraph', [ATTR_SERVICE_VERSION]: VERSION }),
    spanProcessors: processors,
  });
  const tracer = provider.getTracer('devicegraph', VERSION);

  return {
    callerContext: (headers) => propagator.extract(ROOT_CONTEXT, headers, defaultTextMapGetter),
    startOperation(parent) {
      // Named as the semantic conventions name an operation not yet known; app.ts renames it once parsed.
      const span = tracer.startSpan('GraphQL Operation', { kind: SpanKind.SERVER }, parent);
      return { span, context: trace.setSpan(parent, span) };
    },
    recordVendorCall(event) {
      const end = Date.now();
      const attributes = {
        'devicegraph.vendor': event.vendor,
        'devicegraph.attempt': event.attempt,
        [ATTR_HTTP_REQUEST_METHOD]: 'GET',
        ...(event.route ? { 'url.template': event.route } : {}),
        ...(event.status > 0 ? { [ATTR_HTTP_RESPONSE_STATUS_CODE]: event.status } : {}),
        ...(event.outcome === 'ok' ? {} : { [ATTR_ERROR_TYPE]: event.outcome }),
      };
      const span = tracer.startSpan(
        event.route ? `GET ${event.route}` : 'GET',
        { kind: SpanKind.CLIENT, startTime: end - event.durationMs, attributes },
        context.active(),
      );
      if (event.outcome !== 'ok') span.setStatus({ code: SpanStatusCode.ERROR, message: event.outcome });
      span.end(end);
    },
    async shutdown() {
      await provider.shutdown();
    },
  };
}
