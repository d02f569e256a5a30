/**
 * A request to one of the floors (`bench/floor.ts`, `bench/stack-floor.ts`): its JSON body, and the
 * operation's vendor calls its URL's query names (`replay`, `calls`, `depth`). The floors make those
 * calls here, the one place that knows how: D rounds of N ÷ D parallel GETs of the operation's
 * recorded vendor answers (`<replay>/<index>`, replayed by `bench/simulators.ts` after the vendors'
 * latency, in the simulators' process as devicegraph's vendors are) over keep-alive undici pools
 * as the vendor clients have them, each body read and `JSON.parse`d.
 */
import type { IncomingMessage } from 'node:http';
import { Pool } from 'undici';
import { DEFAULT_CALL_POLICY } from '../src/vendors/http/call-policy.js';

/** An operation's vendor calls as a floor makes them. */
export interface VendorCallShape {
  /** Where the operation's recorded vendor answers are replayed. */
  replay: string;
  /** Calls in all. */
  calls: number;
  /** Rounds of calls, each waiting for the one before (the operation's critical path). */
  depth: number;
}

/** The URL query that asks a floor for `shape`'s calls. */
export function vendorCallParams(shape: VendorCallShape): URLSearchParams {
  return new URLSearchParams({ replay: shape.replay, calls: String(shape.calls), depth: String(shape.depth) });
}

const pools = new Map<string, Pool>();

function poolOf(origin: string): Pool {
  let pool = pools.get(origin);
  if (!pool) {
    pool = new Pool(origin, { connections: DEFAULT_CALL_POLICY.maxConcurrent });
    pools.set(origin, pool);
  }
  return pool;
}

async function vendorCall(pool: Pool, path: string): Promise<unknown> {
  const response = await pool.request({ method: 'GET', path, headers: { accept: 'application/json' } });
  return JSON.parse(await response.body.text());
}

/** Makes the vendor calls `params` (a floor request's URL query) names. */
export async function makeVendorCalls(params: URLSearchParams): Promise<void> {
  const replay = new URL(params.get('replay') ?? '');
  const calls = Number(params.get('calls') ?? 1);
  const depth = Math.max(1, Number(params.get('depth') ?? 1));
  const pool = poolOf(replay.origin);
  const width = Math.max(1, Math.round(calls / depth));
  for (let level = 0; level < depth; level++) {
    await Promise.all(Array.from({ length: width }, (_, index) => vendorCall(pool, `${replay.pathname}/${level * width + index}`)));
  }
}

export async function closeVendorPools(): Promise<void> {
  await Promise.all([...pools.values()].map((pool) => pool.close()));
}

export async function readText(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}
