/**
 * The benchmark's server process: devicegraph over all five simulators, started by the test
 * harness, with every simulator answering after `BENCH_LATENCY_MS`. It runs in its own process
 * so the load generator (autocannon, in `bench/run.ts`) does not share its event loop, and answers
 * the runner over the IPC channel: vendor calls from the simulators' call logs, and peak RSS.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'undici';
import { startGraphHarness } from '../test/support/graph-harness.js';
import { VENDORS, type VendorName } from '../src/vendors/vendor.js';

/** A request from the runner; `id` pairs it with its reply. */
export type ServerRequest =
  | { id: number; type: 'calls' }
  | { id: number; type: 'clearCalls' }
  /** Starts sampling RSS from now on. */
  | { id: number; type: 'resetPeakRss' }
  /** Stops sampling; replies with the peak since `resetPeakRss`. */
  | { id: number; type: 'peakRss' }
  | { id: number; type: 'close' };

export type ServerMessage =
  | { type: 'ready'; url: string; floorUrl: string; latencyMs: number }
  | { type: 'reply'; id: number; calls?: Record<VendorName, number>; peakRssBytes?: number; maxRssBytes?: number };

/** How often RSS is sampled while a load runs (only then: each sample costs ~0.1 ms here). */
const RSS_SAMPLE_MS = 50;

if (!process.send) throw new Error('bench/server.ts is started by bench/run.ts (it needs an IPC channel)');
const send = (message: ServerMessage) => process.send!(message);
const servers: Server[] = [];

const latencyMs = Number(process.env.BENCH_LATENCY_MS ?? 20);
const harness = await startGraphHarness({ knobs: { latencyMs } });

/**
 * The floor: the same plumbing without GraphQL. `POST /floor?depth=D&width=W&bytes=B` reads the
 * request, makes D rounds of W parallel calls to a stub vendor in this process (answering after
 * the same latency, over a keep-alive undici pool like the vendor clients'), then answers B bytes
 * of JSON. An
 * operation's latency minus its floor is what devicegraph itself (and the simulators' work) adds.
 */
const floorVendor = await listen(
  createServer((req, res) => {
    req.resume();
    setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}'), latencyMs);
  }),
);
const floorPool = new Pool(floorVendor, { connections: 16 });
const floor = await listen(
  createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://floor.invalid');
      const depth = Number(url.searchParams.get('depth') ?? 1);
      const width = Number(url.searchParams.get('width') ?? 1);
      const bytes = Number(url.searchParams.get('bytes') ?? 0);
      await readAll(req);
      const call = async () => (await floorPool.request({ method: 'GET', path: '/' })).body.text();
      for (let level = 0; level < depth; level++) await Promise.all(Array.from({ length: width }, call));
      res.writeHead(200, { 'content-type': 'application/json' }).end(`{"data":"${'x'.repeat(Math.max(0, bytes - 12))}"}`);
    })();
  }),
);

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function readAll(req: IncomingMessage): Promise<void> {
  for await (const _chunk of req);
}

let peakRss = process.memoryUsage.rss();
let sampler: NodeJS.Timeout | undefined;
const sampleRss = () => {
  peakRss = Math.max(peakRss, process.memoryUsage.rss());
};

process.on('message', (message: ServerRequest) => {
  void (async () => {
    switch (message.type) {
      case 'calls':
        send({ type: 'reply', id: message.id, calls: Object.fromEntries(VENDORS.map((vendor) => [vendor, harness.calls(vendor)])) as Record<VendorName, number> });
        return;
      case 'clearCalls':
        harness.clearCalls();
        send({ type: 'reply', id: message.id });
        return;
      case 'resetPeakRss':
        peakRss = process.memoryUsage.rss();
        clearInterval(sampler);
        sampler = setInterval(sampleRss, RSS_SAMPLE_MS);
        send({ type: 'reply', id: message.id });
        return;
      case 'peakRss':
        clearInterval(sampler);
        sampleRss();
        // resourceUsage().maxRSS is in kilobytes: the process's peak over its whole life.
        send({ type: 'reply', id: message.id, peakRssBytes: peakRss, maxRssBytes: process.resourceUsage().maxRSS * 1024 });
        return;
      case 'close':
        await close();
        send({ type: 'reply', id: message.id });
        process.disconnect();
        return;
    }
  })();
});

let closing: Promise<void> | undefined;
function close(): Promise<void> {
  clearInterval(sampler);
  closing ??= (async () => {
    for (const server of servers) server.closeAllConnections();
    await Promise.all([harness.close(), floorPool.close(), ...servers.map((server) => new Promise((resolve) => server.close(resolve)))]);
  })();
  return closing;
}
// The runner going away (finished or killed) ends the server too.
process.on('disconnect', () => void close().finally(() => process.exit(0)));

send({ type: 'ready', url: harness.graph.url, floorUrl: `${floor}/floor`, latencyMs });
