/**
 * The floor of the suite's latency (`bench/run.ts`), in a process of its own: the same plumbing as
 * devicegraph without GraphQL. `POST /floor?replay=<url>&calls=N&depth=D&bytes=B` reads and parses
 * the JSON request, makes the operation's vendor calls (`bench/floor-requests.ts`: D rounds of
 * N ÷ D parallel GETs of its recorded vendor answers, each body `JSON.parse`d), then answers B bytes
 * of JSON. An operation's latency minus its floor is what devicegraph itself adds.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serveRunner } from './child.js';
import { closeVendorPools, makeVendorCalls, readText } from './floor-requests.js';

export interface FloorReady {
  url: string;
}

async function answer(req: IncomingMessage): Promise<string> {
  const { searchParams } = new URL(req.url ?? '/', 'http://floor.invalid');
  const bytes = Number(searchParams.get('bytes') ?? 0);
  JSON.parse(await readText(req));
  await makeVendorCalls(searchParams);
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
    await Promise.all([new Promise((resolve) => server.close(resolve)), closeVendorPools()]);
  },
);
