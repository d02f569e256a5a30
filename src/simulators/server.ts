import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { VendorCredentials, VendorName } from '../vendors/vendor.js';

/** The ways a simulator can misbehave on purpose. */
export type FaultKind = 'server-error' | 'rate-limit' | 'hang' | 'malformed-json' | 'drop-connection' | 'oversized-body' | 'echo-request';

export interface Fault {
  kind: FaultKind;
  /** How many requests the fault affects before it clears by itself; unlimited when absent. */
  times?: number;
  /** `Retry-After` seconds sent with `rate-limit`; default 1. */
  retryAfterSeconds?: number;
  /** Length of the JSON body `oversized-body` streams, generated chunk by chunk as the client reads it; default 200 MB. */
  bodyBytes?: number;
  /** Whether `oversized-body` states its length in `content-length` (else it is sent chunked); default false. */
  declareLength?: boolean;
}

/** Runtime settings of a simulator, changeable while it runs. */
export interface SimulatorKnobs {
  /** Delay before every answer, in milliseconds. */
  latencyMs: number;
  /** The fault every request meets until it clears; `null` for a healthy vendor. */
  fault: Fault | null;
  /** After every this many requests, new records are inserted at the head of every list; 0 turns it off. */
  insertEveryRequests: number;
  /** How many records each of those inserts adds at the head of every list: a busy vendor's rate between two calls. */
  recordsPerInsert: number;
  /** Whether the call log keeps each answer as sent (`CallLogEntry.answer`); off by default, as bodies add up. */
  recordAnswers: boolean;
}

/** One request as the simulator's call log keeps it. */
export interface CallLogEntry {
  method: string;
  path: string;
  query: Record<string, string>;
  /** HTTP status answered; 0 when the connection was dropped or left hanging. */
  status: number;
  /** Body bytes handed to the connection, for `oversized-body` (it stops when the client goes away). */
  bodyBytesSent?: number;
  /** The request headers `echo-request` wrote back in its error message. */
  echoedHeaders?: IncomingHttpHeaders;
  /** The answer's content type and body as sent, with the `recordAnswers` knob on. */
  answer?: { contentType: string; body: string };
  /** When the request arrived (epoch ms). */
  at: number;
}

export interface SimulatorRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  /** Path with query exactly as received (signature schemes sign it). */
  rawPath: string;
  headers: IncomingHttpHeaders;
}

export interface SimulatorResponse {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** What a vendor simulator supplies; everything else (HTTP, knobs, call log) is shared. */
export interface SimulatorHandler {
  vendor: VendorName;
  /** Answers one request as the vendor would: auth, validation, paging, error bodies. */
  handle(request: SimulatorRequest): SimulatorResponse;
  /** The vendor's own body for an internal server error, saying `message` where its usual text would be. */
  serverError(message?: string): SimulatorResponse;
  /** The vendor's own answer when called too fast, where it documents one (else a bare 429). */
  rateLimited?(): SimulatorResponse;
  /** Inserts one new record at the head of every list the simulator serves. */
  insertAtHead(): void;
}

/** What every vendor simulator is built from. */
export interface VendorSimulatorOptions<V extends VendorName> {
  /** The simulator's clock: seeded records are placed relative to it, inserted ones at it. */
  now?: () => Date;
  /** Seed of the generated data; the same seed serves the same data. */
  seed?: number;
  /** The credentials the simulator accepts; its `*_SIMULATOR_CREDENTIALS` by default. */
  credentials?: VendorCredentials[V];
}

export interface StartSimulatorOptions {
  host?: string;
  /** 0 (the default) picks a free ephemeral port. */
  port?: number;
  knobs?: Partial<SimulatorKnobs>;
}

/** A running vendor simulator: a real HTTP server on loopback. */
export class Simulator {
  readonly vendor: VendorName;
  readonly knobs: SimulatorKnobs;
  readonly calls: CallLogEntry[] = [];
  readonly #server: Server;
  readonly #handler: SimulatorHandler;
  #requestCount = 0;
  #url = '';

  constructor(handler: SimulatorHandler, knobs: Partial<SimulatorKnobs> = {}) {
    this.vendor = handler.vendor;
    this.#handler = handler;
    this.knobs = { latencyMs: 0, fault: null, insertEveryRequests: 0, recordsPerInsert: 1, recordAnswers: false, ...knobs };
    this.#server = createServer((req, res) => {
      const arrived = performance.now();
      const url = new URL(req.url ?? '/', 'http://simulator.invalid');
      const entry: CallLogEntry = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        status: 0,
        at: Date.now(),
      };
      this.calls.push(entry);
      const request: SimulatorRequest = {
        method: entry.method,
        path: url.pathname,
        query: url.searchParams,
        rawPath: req.url ?? '/',
        headers: req.headers,
      };
      // A vendor works on its answer while its latency runs: a healthy vendor's answer is made on
      // arrival and sent when the latency (counted from arrival) is up, so the simulator's own work
      // adds nothing to it. The timer is armed before that work: Node counts a timer's delay in
      // whole milliseconds from when it is armed, so work done first would add to the latency.
      let healthy: ReturnType<typeof sendable> | undefined;
      setTimeout(() => {
        const fault = this.#takeFault();
        if (fault?.kind === 'hang') return;
        if (fault?.kind === 'drop-connection') {
          req.socket.destroy();
          return;
        }
        if (fault?.kind === 'oversized-body') {
          entry.status = 200;
          streamJsonBody(res, fault, entry);
          return;
        }
        const { answer, text } = healthy && !fault ? healthy : sendable(this.#answer(request, fault, entry), fault);
        entry.status = answer.status;
        const headers = { 'content-type': 'application/json', ...answer.headers };
        if (this.knobs.recordAnswers) entry.answer = { contentType: headers['content-type'], body: text };
        res.writeHead(answer.status, headers);
        res.end(text);
        this.#afterRequest();
      }, Math.max(0, this.knobs.latencyMs - (performance.now() - arrived)));
      if (this.knobs.latencyMs > 0 && this.knobs.fault === null) healthy = sendable(this.#handler.handle(request), null);
    });
  }

  /** Base URL of the running simulator, e.g. `http://127.0.0.1:41234`. */
  get url(): string {
    return this.#url;
  }

  async listen(options: { host?: string; port?: number } = {}): Promise<this> {
    const host = options.host ?? '127.0.0.1';
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(options.port ?? 0, host, () => resolve());
    });
    const { port } = this.#server.address() as AddressInfo;
    this.#url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
    return this;
  }

  /** Sets (or with `null` clears) the fault every following request meets. */
  setFault(fault: Fault | null): void {
    this.knobs.fault = fault;
  }

  clearCalls(): void {
    this.calls.length = 0;
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #takeFault(): Fault | null {
    const fault = this.knobs.fault;
    if (!fault) return null;
    if (fault.times !== undefined) {
      const left = fault.times - 1;
      this.knobs.fault = left > 0 ? { ...fault, times: left } : null;
    }
    return fault;
  }

  #answer(request: SimulatorRequest, fault: Fault | null, entry: CallLogEntry): SimulatorResponse {
    if (fault?.kind === 'server-error') return this.#handler.serverError();
    if (fault?.kind === 'echo-request') {
      // A careless vendor quoting the request it failed on, credentials and all.
      entry.echoedHeaders = request.headers;
      return this.#handler.serverError(`Failed: ${request.method} ${request.rawPath} ${JSON.stringify(request.headers)}`);
    }
    if (fault?.kind === 'rate-limit') {
      const answer = this.#handler.rateLimited?.() ?? { status: 429, body: { error: 'Too Many Requests' } };
      return { ...answer, headers: { ...answer.headers, 'retry-after': String(fault.retryAfterSeconds ?? 1) } };
    }
    const answer = this.#handler.handle(request);
    return fault?.kind === 'malformed-json' ? { ...answer, status: 200 } : answer;
  }

  #afterRequest(): void {
    this.#requestCount += 1;
    const every = this.knobs.insertEveryRequests;
    if (every > 0 && this.#requestCount % every === 0) {
      for (let record = 0; record < this.knobs.recordsPerInsert; record++) this.#handler.insertAtHead();
    }
  }
}

/** An answer with the text it is sent as: its body as JSON, or cut short for `malformed-json`. */
function sendable(answer: SimulatorResponse, fault: Fault | null): { answer: SimulatorResponse; text: string } {
  return { answer, text: fault?.kind === 'malformed-json' ? '{"truncated": [' : JSON.stringify(answer.body) };
}

const DEFAULT_OVERSIZED_BODY_BYTES = 200_000_000;

/**
 * Streams `{"padding":"aaa…"}` of exactly `fault.bodyBytes` bytes, writing only as fast as the client
 * reads (one reused 64 KiB chunk, so the simulator holds none of it), until done or the client leaves.
 */
function streamJsonBody(res: ServerResponse, fault: Fault, entry: CallLogEntry): void {
  const total = fault.bodyBytes ?? DEFAULT_OVERSIZED_BODY_BYTES;
  const head = '{"padding":"';
  const tail = '"}';
  const chunk = Buffer.alloc(64 * 1024, 'a');
  res.writeHead(200, { 'content-type': 'application/json', ...(fault.declareLength ? { 'content-length': String(total) } : {}) });
  res.write(head);
  let sent = head.length;
  const pump = (): void => {
    while (sent < total - tail.length && !res.destroyed) {
      const size = Math.min(chunk.length, total - tail.length - sent);
      sent += size;
      entry.bodyBytesSent = sent;
      if (!res.write(size === chunk.length ? chunk : chunk.subarray(0, size))) {
        res.once('drain', pump);
        return;
      }
    }
    if (!res.destroyed) res.end(tail, () => (entry.bodyBytesSent = total));
  };
  pump();
}

/** Starts a simulator for `handler` on loopback. */
export function startSimulator(handler: SimulatorHandler, options: StartSimulatorOptions = {}): Promise<Simulator> {
  return new Simulator(handler, options.knobs).listen(options);
}

/** Reads the bearer token of an `Authorization: Bearer …` header, or `undefined`. */
export function bearerToken(headers: IncomingHttpHeaders): string | undefined {
  const match = /^Bearer\s+(.+)$/i.exec(headers.authorization ?? '');
  return match?.[1]?.trim();
}
