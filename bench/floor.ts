/**
 * The floor of the suite's latency (`bench/run.ts`), in a process of its own: the same plumbing as
 * devicegraph without GraphQL. `POST /floor?replay=<url>&calls=N&depth=D&bytes=B` reads and parses
 * the JSON request, makes D rounds of N ÷ D parallel GETs of an operation's recorded vendor answers
 * (`<url>/<index>`, replayed by `bench/simulators.ts` after the vendors' latency, in the
 * simulators' process as devicegraph's vendors are) over keep-alive undici pools as the vendor
 * clients have them, reads and `JSON.parse`s each body, then answers B bytes of JSON. An
 * operation's latency minus its floor is what devicegraph itself adds.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'undici';
import { DEFAULT_CALL_POLICY } from '../src/vendors/http/call-policy.js';
import { serveRunner } from './child.js';

export interface FloorReady {
  url: string;
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

async function readText(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

async function vendorCall(pool: Pool, path: string): Promise<unknown> {
  const response = await pool.request({ method: 'GET', path, headers: { accept: 'application/json' } });
  return JSON.parse(await response.body.text());
}

async function answer(req: IncomingMessage): Promise<string> {
  const url = new URL(req.url ?? '/', 'http://floor.invalid');
  const replay = new URL(url.searchParams.get('replay') ?? '');
  const calls = Number(url.searchParams.get('calls') ?? 1);
  const depth = Math.max(1, Number(url.searchParams.get('depth') ?? 1));
  const bytes = Number(url.searchParams.get('bytes') ?? 0);
  JSON.parse(await readText(req));
  const pool = poolOf(replay.origin);
  const width = Math.max(1, Math.round(calls / depth));
  for (let level = 0; level < depth; level++) {
    await Promise.all(Array.from({ length: width }, (_, index) => vendorCall(pool, `${replay.pathname}/${level * width + index}`)));
  }
  return `{"data":"${'x'.repeat(Math.max(0, bytes - 12))}"}`;
}

const server = createServer((req, res) => {
  answer(req).then(
    (body) => res.writeHead(200, { 'content-type': 'application/json' }).end(body),
    (error: unknown) => res.writeHead(500, { 'content-type': 'text/plain' }).end(String(error)),
  );
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

serveRunner<{ type: 'close' }, object>(
  { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/floor` } satisfies FloorReady,
  () => ({}),
  async () => {
    server.closeAllConnections();
    await Promise.all([new Promise((resolve) => server.close(resolve)), ...[...pools.values()].map((pool) => pool.close())]);
  },
);
