/**
 * The benchmark's server process: devicegraph over all five simulators, every simulator answering
 * after `BENCH_LATENCY_MS`. It runs in its own process so the load generator (autocannon, in
 * `bench/run.ts`) does not share its event loop, and answers the runner over the IPC channel:
 * vendor calls from the simulators' call logs, and peak RSS.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'undici';
import { startDeviceGraph } from '../src/app.js';
import { vendorEndpoints } from '../src/endpoints.js';
import { startSimulators } from '../src/simulators/index.js';
import { createVendorClients, withScale } from '../src/vendors/clients.js';
import { createScale } from '../src/vendors/http/scale.js';
import { SharedStore } from '../src/vendors/http/shared-store.js';
import { VENDORS } from '../src/vendors/vendor.js';
import { serveRunner } from './child.js';
import { clearVendorCalls, vendorCalls, type VendorCalls } from './vendor-calls.js';

/** A request from the runner. */
export type ServerRequest =
  | { type: 'calls' }
  | { type: 'clearCalls' }
  /** Starts sampling RSS from now on. */
  | { type: 'resetPeakRss' }
  /** Stops sampling; replies with the peak since `resetPeakRss`. */
  | { type: 'peakRss' }
  | { type: 'close' };

export interface ServerReply {
  calls?: VendorCalls;
  peakRssBytes?: number;
}

export interface ServerReady {
  url: string;
  floorUrl: string;
}

/** How often RSS is sampled while a load runs (only then: each sample costs ~0.1 ms here). */
const RSS_SAMPLE_MS = 50;

const servers: Server[] = [];

const latencyMs = Number(process.env.BENCH_LATENCY_MS ?? 20);
const simulators = await startSimulators(VENDORS, { knobs: { latencyMs } });
const endpoints = vendorEndpoints({}, simulators.endpoints);
// BENCH_CACHE_TTL_SECONDS set: the vendor cache and coalescing in-process, as `npm start` has them.
const cacheTtl = process.env.BENCH_CACHE_TTL_SECONDS;
const clients = createVendorClients(
  cacheTtl === undefined
    ? endpoints
    : withScale(endpoints, createScale(new SharedStore()), Object.fromEntries(VENDORS.map((vendor) => [vendor, { listTtlSeconds: Number(cacheTtl) }]))),
);
const graph = await startDeviceGraph({ clients, automoxDefaultOrgId: simulators.automoxDefaultOrgId });

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

serveRunner<ServerRequest, ServerReply>(
  { url: graph.url, floorUrl: `${floor}/floor` } satisfies ServerReady,
  (request) => {
    switch (request.type) {
      case 'calls':
        return { calls: vendorCalls(simulators) };
      case 'clearCalls':
        clearVendorCalls(simulators);
        return {};
      case 'resetPeakRss':
        peakRss = process.memoryUsage.rss();
        clearInterval(sampler);
        sampler = setInterval(sampleRss, RSS_SAMPLE_MS);
        return {};
      case 'peakRss':
        clearInterval(sampler);
        sampleRss();
        return { peakRssBytes: peakRss };
      case 'close':
        return {};
    }
  },
  async () => {
    clearInterval(sampler);
    for (const server of servers) server.closeAllConnections();
    await Promise.all([graph.close(), floorPool.close(), ...servers.map((server) => new Promise((resolve) => server.close(resolve)))]);
    await clients.close();
    await simulators.close();
  },
);
