/**
 * devicegraph side by side with what a team would otherwise reach for: GraphQL Mesh, composed by
 * `mesh-compose` from `bench/mesh/mesh.config.ts` and served by Hive Gateway. Both answer the same
 * operation — the first 20 Control Center audit records of one ICCID — each over its own set of
 * the built-in simulators (same seeds, same latency knob) in a third process, so each server
 * process's CPU time is its own work and neither warms the other's vendor.
 *
 * Each server runs as it would be deployed: devicegraph as `npm start` runs it, built first if
 * stale, when the project has a build (the start script's `node <file>.js`, with `NODE_ENV=production`),
 * else from the TypeScript sources through tsx; the gateway with `NODE_ENV=production` and its defaults
 * (one process). Every vendor is configured as real for devicegraph, pointing at its simulator set.
 * Server output goes to log files, never through a pipe the bench has to read.
 *
 * At 0 and 20 ms vendor latency and 10 and 100 connections, both servers take the same autocannon
 * load in turn (devicegraph, Mesh, Mesh, devicegraph), after an unmeasured warm-up each; CPU time
 * is read from `/proc/<pid>/stat` of each server process around each run.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { realVendorVariables } from '../src/config.js';
import { CONTROL_CENTER_DEFAULT_DAYS_OF_HISTORY } from '../src/vendors/control-center/contract.js';
import { CONTROL_CENTER_FIXTURES } from '../src/simulators/control-center/simulator.js';
import { ForkedChild } from './child.js';
import { graphClient, load } from './http.js';
import { peakRssBytes, processCpuMs } from './proc.js';
import { auditTrailPage, PAGE, type GraphQLRequest, type GraphQLResponse } from './operations.js';
import type { SimulatorSet, SimulatorsReady, SimulatorsReply, SimulatorsRequest } from './simulators.js';
import { fixed, markdownTable, mebibytes, ratio } from './stats.js';
import { totalVendorCalls } from './vendor-calls.js';

const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
const ROOT = dirname(BENCH_DIR);
const MESH_DIR = join(BENCH_DIR, 'mesh');

export const PEER_LATENCIES_MS = [0, 20] as const;
export const PEER_CONNECTIONS = [10, 100] as const;
/** Unmeasured load before each server's first run in a cell, at the cell's connections. */
const WARMUP_S = 2;
/** How long a server may take from spawn to its first full answer. */
const START_TIMEOUT_MS = 90_000;

export interface PeerSettings {
  /** Seconds of each measured run; each server gets two per cell. */
  durationS: number;
}

/** The Mesh packages measured, as installed. */
const MESH_PACKAGES = ['@graphql-mesh/compose-cli', '@omnigraph/json-schema', '@graphql-hive/gateway'] as const;

/** The same page through Mesh: what the vendor answers, as the composed schema names it. */
const MESH_REQUEST: GraphQLRequest = {
  query: `query AuditTrailPage($iccid: String!) {
  controlCenterAuditTrails(iccid: $iccid, daysOfHistory: ${CONTROL_CENTER_DEFAULT_DAYS_OF_HISTORY}, pageSize: ${PAGE}, pageNumber: 1) {
    iccid pageNumber lastPage
    deviceAuditTrails { field priorValue value effectiveDate status userName delegatedUser ipAddress }
  }
}`,
  variables: { iccid: CONTROL_CENTER_FIXTURES.iccidWith137Records },
};

// ---------------------------------------------------------------------------------------------
// Server processes.

/** A server process started for the comparison, its output in a log file. */
export class PeerProcess {
  readonly #child: ChildProcess;
  readonly #exited: Promise<number | null>;

  constructor(
    readonly name: string,
    /** How it was started, for the report. */
    readonly command: string,
    args: readonly string[],
    env: Record<string, string>,
    readonly logPath: string,
  ) {
    const log = openSync(logPath, 'a');
    this.#child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', log, log] });
    closeSync(log);
    // A server must not outlive the bench, however it ends.
    const kill = () => this.#child.kill('SIGKILL');
    process.once('exit', kill);
    this.#exited = new Promise((resolve) =>
      this.#child.once('exit', (code) => {
        process.off('exit', kill);
        resolve(code);
      }),
    );
  }

  get pid(): number {
    return this.#child.pid!;
  }

  get running(): boolean {
    return this.#child.exitCode === null && this.#child.signalCode === null;
  }

  logTail(): string {
    return readFileSync(this.logPath, 'utf8').split('\n').slice(-30).join('\n');
  }

  /** Posts `body` until the server gives a 200 answer, and returns that answer. */
  async firstAnswer(url: string, body: string): Promise<string> {
    const graph = graphClient(url);
    const deadline = Date.now() + START_TIMEOUT_MS;
    try {
      for (;;) {
        if (!this.running) throw new Error(`${this.name} exited before answering; the end of ${this.logPath}:\n${this.logTail()}`);
        try {
          return await graph.sendText(body);
        } catch (error) {
          if (Date.now() > deadline) throw new Error(`${this.name} gave no answer within ${START_TIMEOUT_MS / 1000} s; the end of ${this.logPath}:\n${this.logTail()}`, { cause: error });
          await sleep(200);
        }
      }
    } finally {
      await graph.close();
    }
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.#child.kill('SIGTERM');
    const killer = setTimeout(() => this.#child.kill('SIGKILL'), 5_000);
    await this.#exited;
    clearTimeout(killer);
  }
}

/** A free loopback port (the gateway logs the port it was given, not the one it got from port 0). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Runs `command args…` to its end, output to `logPath`; throws unless it exits with 0. */
async function runToEnd(command: string, args: readonly string[], cwd: string, logPath: string): Promise<void> {
  const log = openSync(logPath, 'a');
  const child = spawn(command, args, { cwd, stdio: ['ignore', log, log] });
  closeSync(log);
  const code = await new Promise<number | null>((resolve, reject) => child.once('error', reject).once('exit', resolve));
  if (code !== 0) throw new Error(`${command} ${args.join(' ')} failed (exit ${code}); the end of ${logPath}:\n${readFileSync(logPath, 'utf8').slice(-3000)}`);
}

function packageJson(name: string): { version: string; bin?: Record<string, string>; scripts?: Record<string, string> } {
  return JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8'));
}

/** The script file of an installed package's command. */
function packageBin(name: string, command: string): string {
  const bin = packageJson(name).bin?.[command];
  if (!bin) throw new Error(`${name} has no ${command} command`);
  return join(ROOT, 'node_modules', name, bin);
}

// ---------------------------------------------------------------------------------------------
// The two servers.

/**
 * The environment that configures every devicegraph vendor as real, pointing at one simulator set.
 * The Mesh configuration reads the same variables.
 */
function vendorEnv({ endpoints, automoxDefaultOrgId }: SimulatorSet): Record<string, string> {
  return { ...realVendorVariables(endpoints), AUTOMOX_ORG_UUID: automoxDefaultOrgId };
}

function projectScripts(): Record<string, string | undefined> {
  return JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts ?? {};
}

/** How `npm start` runs devicegraph once built: the `node <file>.js` of the start script, if any. */
function productionEntry(): string | undefined {
  const entry = /\bnode\s+(?:--\S+\s+)*(\S+\.m?js)\b/.exec(projectScripts().start ?? '')?.[1];
  return entry && existsSync(join(ROOT, entry)) ? entry : undefined;
}

export interface Peer {
  name: string;
  server: PeerProcess;
  url: string;
  body: string;
  /** The full answer, which every answer under load must equal. */
  answer: string;
  /** The records of the page as (field, value, status, user), to see both serve the same data. */
  records: string[][];
}

/** What a caller adds to how devicegraph is started: node options (e.g. `--cpu-prof`) and environment. */
export interface DeviceGraphExtras {
  /** The name in reports and of its log file (default `devicegraph`). */
  name?: string;
  nodeArgs?: readonly string[];
  env?: Record<string, string>;
}

/**
 * The build, once per bench process (its output in `dir`): what `npm start` runs first (`prestart`,
 * a build when dist/ is older than its sources), else `npm run build`.
 */
let built: Promise<void> | undefined;

/**
 * Starts devicegraph as deployed over simulator set `set` (see the top of this file), and waits for
 * its full answer to the audit trail page: the one place the bench knows how devicegraph is started.
 */
export async function startDeviceGraph(set: SimulatorSet, dir: string, extras: DeviceGraphExtras = {}): Promise<Peer> {
  let args = ['--import', 'tsx', 'src/server.ts'];
  let env: Record<string, string> = {};
  const scripts = projectScripts();
  if (scripts.build) {
    await (built ??= runToEnd('npm', ['run', scripts.prestart ? 'prestart' : 'build'], ROOT, join(dir, 'build.log')));
    const entry = productionEntry();
    if (entry) {
      args = [entry];
      env = { NODE_ENV: 'production' };
    }
  }
  args = [...(extras.nodeArgs ?? []), ...args];
  const port = await freePort();
  const name = extras.name ?? 'devicegraph';
  const shownEnv = Object.entries({ ...env, ...extras.env }).map(([key, value]) => `${key}=${value} `).join('');
  const command = `${shownEnv}node ${args.join(' ')}`;
  const server = new PeerProcess(name, command, args, { ...vendorEnv(set), ...env, ...extras.env, HOST: '127.0.0.1', PORT: String(port) }, join(dir, `${name}.log`));
  const url = `http://127.0.0.1:${port}/graphql`;
  const graph = graphClient(url);
  const body = JSON.stringify(await auditTrailPage.prepare(graph.query).finally(() => graph.close()));
  const answer = await server.firstAnswer(url, body);
  const parsed = JSON.parse(answer) as GraphQLResponse;
  auditTrailPage.check(parsed);
  const records = (parsed.data.cellularDevice.auditEvents.edges as Array<{ node: Record<string, string | null> }>).map(({ node }) =>
    [node.field, node.value, node.status, node.actor].map(String),
  );
  return { name, server, url, body, answer, records };
}

async function startMesh(set: SimulatorSet, dir: string): Promise<Peer> {
  const supergraph = join(dir, 'supergraph.graphql');
  await runToEnd(process.execPath, [packageBin('@graphql-mesh/compose-cli', 'mesh-compose'), '--output', supergraph], MESH_DIR, join(dir, 'mesh-compose.log'));
  const port = await freePort();
  const controlCenter = set.endpoints.CISCO_CONTROL_CENTER;
  const args = [packageBin('@graphql-hive/gateway', 'hive-gateway'), 'supergraph', supergraph, '--host', '127.0.0.1', '--port', String(port)];
  const server = new PeerProcess('Mesh', 'NODE_ENV=production hive-gateway supergraph <composed supergraph>', args, {
    ...vendorEnv(set),
    NODE_ENV: 'production',
    CONTROL_CENTER_BASIC_AUTH: Buffer.from(`${controlCenter.credentials.username}:${controlCenter.credentials.apiKey}`).toString('base64'),
  }, join(dir, 'mesh.log'));
  const url = `http://127.0.0.1:${port}/graphql`;
  const body = JSON.stringify(MESH_REQUEST);
  const answer = await server.firstAnswer(url, body);
  const page = (JSON.parse(answer) as GraphQLResponse).data?.controlCenterAuditTrails;
  const trail = page?.deviceAuditTrails as Array<Record<string, string | null>> | undefined;
  if (!trail || trail.length !== PAGE || page.lastPage !== false) throw new Error(`Mesh did not answer the full page: ${answer.slice(0, 500)}`);
  const records = trail.map((record) => [record.field, record.value, record.status, record.userName].map(String));
  return { name: 'Mesh', server, url, body, answer, records };
}

// ---------------------------------------------------------------------------------------------
// Measuring.

interface PeerRun {
  peer: string;
  latencyMs: number;
  connections: number;
  requests: number;
  durationS: number;
  p50Ms: number;
  p99Ms: number;
  cpuMs: number;
  /** Calls its vendors received during the run (its own simulator set). */
  vendorCalls: number;
  /** Non-2xx answers, connection errors, timeouts and answers that differ from the full one. */
  failures: number;
}

export interface PeerResults {
  runs: PeerRun[];
  /** The devicegraph configurations, then Mesh. */
  peers: Array<{ name: string; command: string; about: string; peakRssBytes: number; callsPerRequest: number }>;
  meshVersions: string;
  durationS: number;
}

async function measureRun(
  simulators: ForkedChild<SimulatorsRequest, SimulatorsReply, SimulatorsReady>,
  [peer, set]: [Peer, number],
  latencyMs: number,
  connections: number,
  durationS: number,
): Promise<PeerRun> {
  await simulators.request({ type: 'clearCalls' });
  const cpuBefore = processCpuMs(peer.server.pid);
  const result = await load(peer.url, peer.body, { connections, durationS, expectBody: peer.answer });
  const cpuMs = processCpuMs(peer.server.pid) - cpuBefore;
  const { calls } = await simulators.request({ type: 'calls' });
  return {
    peer: peer.name,
    latencyMs,
    connections,
    requests: result.requests.total,
    durationS: result.duration,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    cpuMs,
    vendorCalls: totalVendorCalls(calls![set]!),
    failures: result.non2xx + result.errors + result.timeouts + result.mismatches,
  };
}

/** Vendor calls one request of each peer makes, from the simulators' call logs. */
async function callsPerRequest(simulators: ForkedChild<SimulatorsRequest, SimulatorsReply, SimulatorsReady>, peers: readonly Peer[]): Promise<number[]> {
  await simulators.request({ type: 'clearCalls' });
  for (const peer of peers) {
    const graph = graphClient(peer.url);
    await graph.sendText(peer.body).finally(() => graph.close());
  }
  const { calls } = await simulators.request({ type: 'calls' });
  return calls!.map(totalVendorCalls);
}

/**
 * The devicegraph configurations measured against Mesh: as deployed (a short vendor cache and
 * coalescing, `VENDOR_CACHE_TTL_SECONDS` default), and with the cache off, so every request that is
 * not in flight alongside an identical one calls the vendor as Mesh does.
 */
const DEVICEGRAPH_VARIANTS = [
  { name: 'devicegraph', env: {}, about: 'default settings: vendor lists cached 5 s, identical calls in flight shared' },
  { name: 'devicegraph-nocache', env: { VENDOR_CACHE_TTL_SECONDS: '0' }, about: 'the vendor cache off; identical calls in flight at once still share one call' },
] as const;

export async function measurePeers(settings: PeerSettings, log: (message: string) => void): Promise<PeerResults> {
  const dir = await mkdtemp(join(os.tmpdir(), 'devicegraph-bench-'));
  const simulators = await ForkedChild.start<SimulatorsRequest, SimulatorsReply, SimulatorsReady>(join(BENCH_DIR, 'simulators.ts'), {
    BENCH_SIMULATOR_SETS: String(DEVICEGRAPH_VARIANTS.length + 1),
  });
  const started: Peer[] = [];
  let failed = true;
  try {
    const { sets } = simulators.ready;
    log(`  starting ${DEVICEGRAPH_VARIANTS.map((variant) => variant.name).join(', ')} and Mesh (logs in ${dir}) …`);
    for (const [index, variant] of DEVICEGRAPH_VARIANTS.entries()) started.push(await startDeviceGraph(sets[index]!, dir, { name: variant.name, env: variant.env }));
    const mesh = await startMesh(sets[DEVICEGRAPH_VARIANTS.length]!, dir);
    started.push(mesh);
    for (const peer of started) if (JSON.stringify(peer.records) !== JSON.stringify(mesh.records)) throw new Error(`${peer.name} and Mesh answered different records`);
    const calls = await callsPerRequest(simulators, started);

    // Fresh processes: one unmeasured run each before anything counts, so the first cell is not the coldest.
    for (const peer of started) await load(peer.url, peer.body, { connections: PEER_CONNECTIONS[0], durationS: settings.durationS });
    const withSets = started.map((peer, set) => [peer, set] as [Peer, number]);
    // Each in first place once (A B C C B A), so drift on the machine falls on all alike.
    const order = [...withSets, ...[...withSets].reverse()];
    const runs: PeerRun[] = [];
    for (const latencyMs of PEER_LATENCIES_MS) {
      await simulators.request({ type: 'latency', latencyMs });
      for (const connections of PEER_CONNECTIONS) {
        for (const peer of started) await load(peer.url, peer.body, { connections, durationS: Math.min(WARMUP_S, settings.durationS) });
        for (const entry of order) {
          const run = await measureRun(simulators, entry, latencyMs, connections, settings.durationS);
          runs.push(run);
          log(
            `  ${latencyMs} ms, c=${connections}, ${run.peer}: ${fixed(run.requests / run.durationS, 0)} req/s, p50 ${run.p50Ms} ms, p99 ${run.p99Ms} ms, ` +
              `${fixed(run.cpuMs / run.requests, 2)} CPU ms/req, ${fixed(run.vendorCalls / run.requests, 2)} vendor calls/req${run.failures ? `, ${run.failures} failed` : ''}`,
          );
        }
      }
    }
    failed = false;
    const abouts = [...DEVICEGRAPH_VARIANTS.map((variant) => variant.about), 'its default of one process'];
    return {
      runs,
      peers: started.map((peer, index) => ({
        name: peer.name,
        command: peer.server.command,
        about: abouts[index]!,
        peakRssBytes: peakRssBytes(peer.server.pid),
        callsPerRequest: calls[index]!,
      })),
      meshVersions: MESH_PACKAGES.map((name) => `${name} ${packageJson(name).version}`).join(', '),
      durationS: settings.durationS,
    };
  } finally {
    await Promise.all(started.map((peer) => peer.server.stop()));
    await simulators.close();
    if (failed) log(`  server logs kept in ${dir}`);
    else await rm(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// Reporting.

interface PeerFigures {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  cpuMsPerRequest: number;
  vendorCallsPerRequest: number;
  failures: number;
}

function figures(results: PeerResults, name: string, latencyMs: number, connections: number): PeerFigures {
  const runs = results.runs.filter((run) => run.peer === name && run.latencyMs === latencyMs && run.connections === connections);
  const sum = (pick: (run: PeerRun) => number) => runs.reduce((total, run) => total + pick(run), 0);
  return {
    requestsPerSecond: sum((run) => run.requests) / sum((run) => run.durationS),
    p50Ms: sum((run) => run.p50Ms) / runs.length,
    p99Ms: sum((run) => run.p99Ms) / runs.length,
    cpuMsPerRequest: sum((run) => run.cpuMs) / sum((run) => run.requests),
    vendorCallsPerRequest: sum((run) => run.vendorCalls) / sum((run) => run.requests),
    failures: sum((run) => run.failures),
  };
}

/** The side-by-side table: each devicegraph configuration's figures, Mesh's, and devicegraph ÷ Mesh. */
export function peersTable(results: PeerResults): string {
  const mesh = results.peers.at(-1)!.name;
  const deviceGraphs = results.peers.slice(0, -1).map((peer) => peer.name);
  const rows = PEER_LATENCIES_MS.flatMap((latencyMs) =>
    PEER_CONNECTIONS.flatMap((connections) => {
      const b = figures(results, mesh, latencyMs, connections);
      return deviceGraphs.map((name) => {
        const a = figures(results, name, latencyMs, connections);
        const pair = (x: number, y: number, digits: number) => `${fixed(x, digits)} / ${fixed(y, digits)} = **${ratio(x, y)}**`;
        return [
          `${latencyMs} ms`,
          String(connections),
          name,
          pair(a.requestsPerSecond, b.requestsPerSecond, 0),
          pair(a.p50Ms, b.p50Ms, 1),
          pair(a.p99Ms, b.p99Ms, 1),
          pair(a.cpuMsPerRequest, b.cpuMsPerRequest, 2),
          `${fixed(a.vendorCallsPerRequest, 2)} / ${fixed(b.vendorCallsPerRequest, 2)}`,
          a.failures + b.failures > 0 ? `✗ ${a.failures} / ${b.failures}` : '0',
        ];
      });
    }),
  );
  return markdownTable(
    ['vendor latency', 'connections', 'devicegraph as', 'req/s devicegraph / Mesh', 'p50 ms devicegraph / Mesh', 'p99 ms devicegraph / Mesh', 'CPU ms per request devicegraph / Mesh', 'vendor calls per request devicegraph / Mesh', 'failed'],
    rows,
    ['l', 'r', 'l', 'r', 'r', 'r', 'r', 'r', 'r'],
  );
}

function runsTable(results: PeerResults): string {
  const rows = results.runs.map((run) => [
    `${run.latencyMs} ms`,
    String(run.connections),
    run.peer,
    fixed(run.requests / run.durationS, 0),
    fixed(run.p50Ms, 0),
    fixed(run.p99Ms, 0),
    fixed(run.cpuMs / run.requests, 2),
    fixed(run.vendorCalls / run.requests, 2),
  ]);
  return markdownTable(
    ['vendor latency', 'connections', 'server', 'req/s', 'p50 ms', 'p99 ms', 'CPU ms/req', 'vendor calls/req'],
    rows,
    ['l', 'r', 'l', 'r', 'r', 'r', 'r', 'r'],
  );
}

export function peersSection(results: PeerResults): string {
  const calls = (count: number) => `${count} vendor call${count === 1 ? '' : 's'} for one request${count === 0 ? ' (answered from its cache)' : ''}`;
  const servers = results.peers
    .map((peer) => `- **${peer.name}**: \`${peer.command}\` (${peer.about}); ${calls(peer.callsPerRequest)}; peak RSS ${mebibytes(peer.peakRssBytes)} MiB.`)
    .join('\n');
  return `## Side by side with GraphQL Mesh

The same page — the first ${PAGE} Control Center audit records of ICCID ${CONTROL_CENTER_FIXTURES.iccidWith137Records} — from
devicegraph and from GraphQL Mesh, what a team would otherwise put over these REST APIs
(${results.meshVersions}). \`bench/mesh/\` holds its configuration: JSON-schema sources over
the endpoints of four of the five vendors (NAVER Cloud's signed calls are beyond such a source),
composed by \`mesh-compose\` and served by Hive Gateway. Each server has its own set of the
built-in simulators (same seeds, same latency) in another process, so each one's CPU time and
vendor calls are its own. Each cell is two ${results.durationS} s autocannon runs per server, in
the order ${[...results.peers, ...[...results.peers].reverse()].map((peer) => peer.name).join(', ')}, after an unmeasured warm-up; every answer under
load was compared with the full one (**failed** counts differing answers, non-2xx answers and
failed requests).

devicegraph runs twice: as deployed, and with its vendor cache off, which is the work every
request costs when the same query is not asked again within the cache's lifetime.

${servers}

devicegraph answers the bench's **audit trail page** operation: Relay edges with cursors, global
ids, \`pageInfo\`, \`totalCount\` and the device. Mesh answers \`controlCenterAuditTrails(iccid,
daysOfHistory: ${CONTROL_CENTER_DEFAULT_DAYS_OF_HISTORY}, pageSize: ${PAGE}, pageNumber: 1)\` with every record field the vendor
sends. All answered the same ${PAGE} records.

Each cell reads devicegraph / Mesh = **devicegraph ÷ Mesh**: above 1 is better for req/s, below 1
for latency and CPU. req/s is over both runs; p50 and p99 are the mean of the two runs'; CPU ms
per request is the server process's user + system CPU time during the runs (\`/proc/<pid>/stat\`)
÷ the requests it answered; vendor calls per request are what its simulators received during the
runs ÷ the requests answered.

${peersTable(results)}

<details><summary>Every run, in the order run</summary>

${runsTable(results)}

</details>
`;
}
