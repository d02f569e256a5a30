/**
 * `npm run bench`: devicegraph as deployed (built, `NODE_ENV=production`, started by
 * `bench/peers.ts`) over the built-in simulators in a process of their own, each answering after a
 * fixed latency, under the fixed suite of `bench/operations.ts`. For every operation it measures
 *
 * - vendor calls made (from the simulators' call logs) against the minimum from the page-planning rules;
 * - p50 and p99 latency of sequential requests against the critical-path vendor latency
 *   (the longest chain of vendor calls that must run one after another × the simulated latency),
 *   against its floor (`bench/floor.ts`, the same plumbing without GraphQL) and against its stack
 *   floor (`bench/stack-floor.ts`, Apollo Server and graphql-js answering devicegraph's answer
 *   without devicegraph's code);
 * - throughput with autocannon at concurrency 1, 10 and 100, and devicegraph's peak RSS;
 *
 * then c=100 identical audit-trail queries with the vendor cache off and on
 * (vendor calls per request, requests/s), then measures devicegraph side by side with GraphQL Mesh on one operation (`bench/peers.ts`),
 * prints the tables and writes them to bench/RESULTS.md. Ratios are what matter: absolute numbers
 * move with the machine. Nothing here is a test; nothing in `npm test` asserts on time.
 *
 * Options (flags or environment): --latency-ms / BENCH_LATENCY_MS (default 20),
 * --duration-s / BENCH_DURATION_S (autocannon seconds per concurrency level and per side-by-side
 * run, default 5), --samples / BENCH_SAMPLES (sequential latency samples, default 200),
 * --only / BENCH_ONLY (run operations whose name contains this text),
 * --peers / BENCH_PEERS (`on`, the default; `off` skips the side-by-side part; `only` runs nothing
 * else and, unless --out is given, prints instead of writing), --out (default bench/RESULTS.md).
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { dirname, join, relative } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { parse, print } from 'graphql';
import { VENDORS, type VendorName } from '../src/vendors/vendor.js';
import { OPERATIONS, type BenchOperation, type GraphQLResponse } from './operations.js';
import { ForkedChild } from './child.js';
import type { FloorReady } from './floor.js';
import { vendorCallParams } from './floor-requests.js';
import { measurePeers, PEER_CONNECTIONS, PEER_LATENCIES_MS, peersSection, peersTable, startDeviceGraph, type Peer, type PeerResults } from './peers.js';
import { graphClient, httpClient, load } from './http.js';
import { machineBusyMs, ownCpuMs, peakRssBytes, resetPeakRss } from './proc.js';
import type { SimulatorsReady, SimulatorsReply, SimulatorsRequest } from './simulators.js';
import type { StackFloorReady, StackFloorRequest } from './stack-floor.js';
import { fixed, markdownTable, mebibytes, percentile, ratio } from './stats.js';
import { withTypenames } from './typenames.js';
import { totalVendorCalls } from './vendor-calls.js';

const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
const CONCURRENCY = [1, 10, 100] as const;
/** Sequential requests before the latency samples, so JIT and connection pools are warm. */
const WARMUP_REQUESTS = 30;
/** The target ratios the report flags. */
const TARGET = { calls: 1.0, p50: 1.1 } as const;

interface Settings {
  latencyMs: number;
  durationS: number;
  samples: number;
  only: string | undefined;
  peers: 'on' | 'off' | 'only';
  /** Where the report is written; `undefined` prints it only. */
  out: string | undefined;
}

interface Throughput {
  concurrency: number;
  requestsPerSecond: number;
  /** Requests/s the vendor latency alone would allow: concurrency ÷ critical-path latency. */
  idealPerSecond: number;
  non2xx: number;
  errors: number;
}

interface OperationResult {
  operation: BenchOperation;
  calls: Record<VendorName, number>;
  /** Whether repeated single requests made different numbers of calls. */
  callsVaried: boolean;
  minimum: number;
  criticalPathMs: number;
  p50Ms: number;
  p99Ms: number;
  /** p50 of the floor: one HTTP hop, the same vendor-call shape against a stub vendor, a response of the same size. */
  floorP50Ms: number;
  /** p50 of the stack floor: the floor's vendor calls, then Apollo Server and graphql-js answering devicegraph's answer. */
  stackFloorP50Ms: number;
  responseBytes: number;
  throughput: Throughput[];
  peakRssBytes: number;
}

function readSettings(): Settings {
  const { values } = parseArgs({
    options: {
      'latency-ms': { type: 'string' },
      'duration-s': { type: 'string' },
      samples: { type: 'string' },
      only: { type: 'string' },
      peers: { type: 'string' },
      out: { type: 'string' },
    },
  });
  const number = (flag: string | undefined, env: string | undefined, fallback: number, name: string) => {
    const value = Number(flag ?? env ?? fallback);
    if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a non-negative number`);
    return value;
  };
  const peers = values.peers ?? process.env.BENCH_PEERS ?? 'on';
  if (peers !== 'on' && peers !== 'off' && peers !== 'only') throw new Error('--peers must be on, off or only');
  return {
    latencyMs: number(values['latency-ms'], process.env.BENCH_LATENCY_MS, 20, '--latency-ms'),
    durationS: number(values['duration-s'], process.env.BENCH_DURATION_S, 5, '--duration-s'),
    samples: Math.max(1, Math.round(number(values.samples, process.env.BENCH_SAMPLES, 200, '--samples'))),
    only: values.only ?? process.env.BENCH_ONLY,
    peers,
    out: values.out ?? (peers === 'only' ? undefined : join(BENCH_DIR, 'RESULTS.md')),
  };
}

const log = (message: string) => process.stderr.write(`${message}\n`);

// ---------------------------------------------------------------------------------------------
// The processes: devicegraph as deployed, its simulators, the floor and the stack floor.

type Simulators = ForkedChild<SimulatorsRequest, SimulatorsReply, SimulatorsReady>;

/**
 * devicegraph's settings in the suite: the vendor cache off, so every request's vendor calls are
 * made (identical calls in flight at once still share one, as deployed).
 */
const SUITE_ENV = { VENDOR_CACHE_TTL_SECONDS: '0' } as const;

/** What the suite runs against: each in a process of its own. */
interface Suite {
  simulators: Simulators;
  /** devicegraph as deployed (`bench/peers.ts` starts it), every vendor real against simulator set 0. */
  deviceGraph: Peer;
  floor: ForkedChild<{ type: 'close' }, object, FloorReady>;
  stackFloor: ForkedChild<StackFloorRequest, object, StackFloorReady>;
}

/** Starts the simulators (one set, answering after `latencyMs`), then `run`s with them; logs go to a temporary directory. */
async function withSimulators<T>(latencyMs: number, run: (simulators: Simulators, dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(os.tmpdir(), 'devicegraph-bench-'));
  const simulators: Simulators = await ForkedChild.start(join(BENCH_DIR, 'simulators.ts'), { BENCH_SIMULATOR_SETS: '1' });
  let failed = true;
  try {
    await simulators.request({ type: 'latency', latencyMs });
    const result = await run(simulators, dir);
    failed = false;
    return result;
  } finally {
    await simulators.close();
    if (failed) log(`  server logs kept in ${dir}`);
    else await rm(dir, { recursive: true, force: true });
  }
}

/** Vendor calls set 0 received since the last `clearCalls`. */
async function setCalls(simulators: Simulators): Promise<Record<VendorName, number>> {
  return (await simulators.request({ type: 'calls' })).calls![0]!;
}

// ---------------------------------------------------------------------------------------------
// Identical queries at once, without and with the vendor cache and coalescing.

/** The cache TTL of the "with" run: the default of `VENDOR_CACHE_TTL_SECONDS`. */
const COALESCING_TTL_SECONDS = 5;
const COALESCING_CONNECTIONS = 100;
const COALESCING_WARMUP_S = 2;

interface CoalescingResult {
  cache: boolean;
  requests: number;
  vendorCalls: number;
  requestsPerSecond: number;
}

/** c=100 identical audit-trail queries for `durationS`: vendor calls per request and requests/s, with the cache off and on. */
async function measureCoalescing(settings: Settings): Promise<CoalescingResult[]> {
  const operation = OPERATIONS[0]!;
  log(`identical queries: ${operation.name} at c=${COALESCING_CONNECTIONS}, with the vendor cache off and on …`);
  return withSimulators(settings.latencyMs, async (simulators, dir) => {
    const results: CoalescingResult[] = [];
    for (const cache of [false, true]) {
      const ttl = cache ? COALESCING_TTL_SECONDS : 0;
      const deviceGraph = await startDeviceGraph(simulators.ready.sets[0]!, dir, { name: `devicegraph-ttl-${ttl}`, env: { VENDOR_CACHE_TTL_SECONDS: String(ttl) } });
      try {
        // A fresh process: an unmeasured run first, so the measured one is not its coldest.
        await load(deviceGraph.url, deviceGraph.body, { connections: COALESCING_CONNECTIONS, durationS: Math.min(COALESCING_WARMUP_S, settings.durationS) });
        await simulators.request({ type: 'clearCalls' });
        const result = await load(deviceGraph.url, deviceGraph.body, { connections: COALESCING_CONNECTIONS, durationS: settings.durationS });
        results.push({
          cache,
          requests: result.requests.total,
          vendorCalls: totalVendorCalls(await setCalls(simulators)),
          requestsPerSecond: result.requests.total / result.duration,
        });
      } finally {
        await deviceGraph.server.stop();
      }
    }
    return results;
  });
}

function coalescingSection(results: readonly CoalescingResult[], settings: Settings): string {
  const rows = results.map((result) => [
    result.cache
      ? `vendor cache on (\`VENDOR_CACHE_TTL_SECONDS=${COALESCING_TTL_SECONDS}\`, the default) and coalescing`
      : 'vendor cache off (`VENDOR_CACHE_TTL_SECONDS=0`, as in the suite): only identical calls in flight at once share one',
    `${result.vendorCalls} / ${result.requests} = **${(result.vendorCalls / Math.max(1, result.requests)).toFixed(4)}**`,
    fixed(result.requestsPerSecond, 0),
  ]);
  return `## Identical queries at once: the vendor cache and coalescing

**${OPERATIONS[0]!.name}**, the same query from ${COALESCING_CONNECTIONS} connections for ${settings.durationS} s (autocannon), each simulator answering after ${settings.latencyMs} ms;
devicegraph as deployed, a fresh process for each run. Every request calling the vendor would be
a ratio of 1.

${markdownTable(['run', 'vendor calls / requests', `req/s c=${COALESCING_CONNECTIONS}`], rows)}
`;
}

// ---------------------------------------------------------------------------------------------
// Measuring one operation.

/**
 * Sequential latencies of each of `requests`, in milliseconds, after `warmup` unmeasured rounds:
 * one request of each in turn, so that drift on the machine falls on all alike.
 */
async function latencies(requests: ReadonlyArray<() => Promise<unknown>>, warmup: number, samples: number): Promise<number[][]> {
  for (let index = 0; index < warmup; index++) for (const request of requests) await request();
  const durations = requests.map((): number[] => []);
  for (let index = 0; index < samples; index++) {
    for (const [which, request] of requests.entries()) {
      const started = performance.now();
      await request();
      durations[which]!.push(performance.now() - started);
    }
  }
  return durations;
}

async function measure(operation: BenchOperation, suite: Suite, settings: Settings): Promise<OperationResult> {
  const { simulators, deviceGraph } = suite;
  const graph = graphClient(deviceGraph.url);
  const floorUrl = new URL(suite.floor.ready.url);
  const floorClient = httpClient(floorUrl.origin);
  const stackFloorUrl = new URL(suite.stackFloor.ready.url);
  const stackFloorClient = httpClient(stackFloorUrl.origin);
  try {
    const request = await operation.prepare(graph.query);
    const body = JSON.stringify(request);
    const answer = await graph.sendText(body);
    operation.check(JSON.parse(answer) as GraphQLResponse);
    const responseBytes = Buffer.byteLength(answer);

    // What the stack floor answers from: the same data with the type of every object in it.
    const typenamed = await graph.query({ ...request, query: print(withTypenames(parse(request.query))) });
    operation.check(typenamed);
    await suite.stackFloor.request({ type: 'record', data: typenamed.data });

    // Vendor calls of one request, from the simulators' call logs; three times, to see they hold.
    // The vendors' answers to the last one are kept for the floor to replay.
    const counts: Array<Record<VendorName, number>> = [];
    await simulators.request({ type: 'recordAnswers', on: true });
    for (let run = 0; run < 3; run++) {
      await simulators.request({ type: 'clearCalls' });
      operation.check(await graph.send(body));
      counts.push(await setCalls(simulators));
    }
    await simulators.request({ type: 'recordAnswers', on: false });
    const replay = (await simulators.request({ type: 'replay', set: 0 })).replay!;
    if (replay.count === 0) throw new Error(`${operation.name}: the simulators recorded no answer to replay`);
    const calls = counts.reduce((most, next) => (totalVendorCalls(next) > totalVendorCalls(most) ? next : most));
    const callsVaried = new Set(counts.map(totalVendorCalls)).size > 1;

    // Latency: sequential requests, one at a time, devicegraph's and the two floors' of the same shape in turn.
    const minimum = Object.values(operation.minimumCalls).reduce((sum, count) => sum + count, 0);
    const callParams = vendorCallParams({ replay: replay.url, calls: minimum, depth: operation.criticalPathDepth });
    const floorPath = `${floorUrl.pathname}?${new URLSearchParams([...callParams, ['bytes', String(responseBytes)]])}`;
    const stackFloorPath = `${stackFloorUrl.pathname}?${callParams}`;
    const stackFloorAnswer = await stackFloorClient.post(stackFloorPath, body);
    if (stackFloorAnswer !== answer) throw new Error(`${operation.name}: the stack floor's answer is not devicegraph's: ${firstDifference(stackFloorAnswer, answer)}`);
    const [durations, floorDurations, stackFloorDurations] = (await latencies(
      [() => graph.sendText(body), () => floorClient.post(floorPath, body), () => stackFloorClient.post(stackFloorPath, body)],
      WARMUP_REQUESTS,
      settings.samples,
    )) as [number[], number[], number[]];

    // Throughput at each concurrency, with devicegraph's peak RSS over all three.
    const criticalPathMs = operation.criticalPathDepth * settings.latencyMs;
    resetPeakRss(deviceGraph.server.pid);
    const throughput: Throughput[] = [];
    for (const concurrency of CONCURRENCY) {
      const result = await load(deviceGraph.url, body, { connections: concurrency, durationS: settings.durationS });
      throughput.push({
        concurrency,
        requestsPerSecond: result.requests.total / result.duration,
        idealPerSecond: criticalPathMs > 0 ? (concurrency * 1000) / criticalPathMs : Number.NaN,
        non2xx: result.non2xx,
        errors: result.errors,
      });
      // The answer must still be the full one after the load (no errors crept in under load).
      operation.check(await graph.send(body));
    }

    return {
      operation,
      calls,
      callsVaried,
      minimum,
      criticalPathMs,
      p50Ms: percentile(durations, 50),
      p99Ms: percentile(durations, 99),
      floorP50Ms: percentile(floorDurations, 50),
      stackFloorP50Ms: percentile(stackFloorDurations, 50),
      responseBytes,
      throughput,
      peakRssBytes: peakRssBytes(deviceGraph.server.pid),
    };
  } finally {
    await graph.close();
    await floorClient.close();
    await stackFloorClient.close();
  }
}

/** Where `text` first differs from `expected`, with a little of each around it. */
function firstDifference(text: string, expected: string): string {
  let at = 0;
  while (at < text.length && text[at] === expected[at]) at++;
  const around = (of: string) => JSON.stringify(of.slice(Math.max(0, at - 80), at + 80));
  return `at character ${at}, ${around(text)} where devicegraph answered ${around(expected)}`;
}

// ---------------------------------------------------------------------------------------------
// Reporting.

function totalCalls(result: OperationResult): number {
  return VENDORS.reduce((sum, vendor) => sum + result.calls[vendor], 0);
}

function flag(over: boolean): string {
  return over ? ' ⚠' : '';
}

function resultsTable(results: readonly OperationResult[]): string {
  const header = [
    'operation',
    'vendor calls / min',
    'p50 ms / critical path',
    'p99 ms / critical path',
    ...CONCURRENCY.map((c) => `req/s c=${c} (of ideal)`),
    'peak RSS MiB',
  ];
  const rows = results.map((result) => {
    const made = totalCalls(result);
    return [
      result.operation.name,
      `${made} / ${result.minimum} = **${ratio(made, result.minimum)}**${flag(made / result.minimum > TARGET.calls)}${result.callsVaried ? ' (varied)' : ''}`,
      `${fixed(result.p50Ms)} / ${result.criticalPathMs} = **${ratio(result.p50Ms, result.criticalPathMs)}**${flag(result.p50Ms / result.criticalPathMs > TARGET.p50)}`,
      `${fixed(result.p99Ms)} / ${result.criticalPathMs} = **${ratio(result.p99Ms, result.criticalPathMs)}**`,
      ...result.throughput.map((t) => `${fixed(t.requestsPerSecond, 0)} (${ratio(t.requestsPerSecond, t.idealPerSecond)})${t.non2xx + t.errors > 0 ? ` ✗${t.non2xx + t.errors}` : ''}`),
      mebibytes(result.peakRssBytes),
    ];
  });
  return markdownTable(header, rows, ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r']);
}

function callsTable(results: readonly OperationResult[]): string {
  const vendorColumns = VENDORS.filter((vendor) => results.some((result) => result.calls[vendor] > 0 || (result.operation.minimumCalls[vendor] ?? 0) > 0));
  const rows = results.map((result) => [
    result.operation.name,
    ...vendorColumns.map((vendor) => `${result.calls[vendor]} / ${result.operation.minimumCalls[vendor] ?? 0}`),
    String(result.operation.criticalPathDepth),
  ]);
  return markdownTable(['operation', ...vendorColumns.map((vendor) => `${vendor} made / min`), 'critical path (calls in a row)'], rows, [
    'l',
    ...vendorColumns.map(() => 'r' as const),
    'r',
  ]);
}

function latencyTable(results: readonly OperationResult[]): string {
  const rows = results.map((result) => [
    result.operation.name,
    fixed(result.responseBytes / 1024),
    String(result.criticalPathMs),
    `${fixed(result.floorP50Ms)} (${ratio(result.floorP50Ms, result.criticalPathMs)})`,
    `${fixed(result.stackFloorP50Ms)} (${ratio(result.stackFloorP50Ms, result.criticalPathMs)})`,
    `${fixed(result.p50Ms)} (${ratio(result.p50Ms, result.criticalPathMs)})`,
    fixed(result.p50Ms - result.floorP50Ms),
    fixed(result.stackFloorP50Ms - result.floorP50Ms),
    fixed(result.p50Ms - result.stackFloorP50Ms),
  ]);
  return markdownTable(
    [
      'operation',
      'response KiB',
      'critical path ms',
      'floor p50 ms (÷ critical)',
      'stack floor p50 ms (÷ critical)',
      'p50 ms (÷ critical)',
      'p50 − floor ms',
      'stack − floor ms',
      'p50 − stack floor ms',
    ],
    rows,
    ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
  );
}

function machine(): string {
  const cpus = os.cpus();
  const model = cpus[0]?.model.trim() ?? 'unknown CPU';
  return `${model}, ${cpus.length} CPU${cpus.length === 1 ? '' : 's'} (${os.availableParallelism()} available), ${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB RAM, ${os.type()} ${os.release()} ${os.arch()}`;
}

/**
 * The Node every process of the bench runs on (servers, Mesh and simulators are started with this
 * process's own `node`), and a warning when it is outside `engines`: figures from a runtime users
 * cannot deploy on are not theirs.
 */
function nodeRuntime(): string {
  const range = (JSON.parse(readFileSync(join(dirname(BENCH_DIR), 'package.json'), 'utf8')) as { engines: { node: string } }).engines.node;
  const minimum = /^>=(\d+)\.(\d+)$/.exec(range);
  if (!minimum) throw new Error(`bench: engines.node ${JSON.stringify(range)} is not of the form >=MAJOR.MINOR`);
  const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
  const supported = major > Number(minimum[1]) || (major === Number(minimum[1]) && minor >= Number(minimum[2]));
  return supported
    ? `${process.version}, every process of the run alike`
    : `${process.version} — **outside \`engines\` (${range})**: not a runtime users deploy on; run \`npx -y -p node@24 npm run bench\``;
}

/** How busy the machine was with work other than the bench's. */
interface MachineShare {
  /** Load averages (1, 5, 15 minutes) just before the run. */
  loadBefore: readonly number[];
  /** CPU time the machine spent on other processes during the run. */
  otherCpuMs: number;
  elapsedMs: number;
}

/** A share of the cores' time above which the report says other work took part of the machine. */
const SHARED_MACHINE_SHARE = 0.1;

function machineShare(share: MachineShare): string {
  const cores = os.availableParallelism();
  const fraction = share.otherCpuMs / (share.elapsedMs * cores);
  return (
    `load average ${share.loadBefore.map((value) => value.toFixed(2)).join(' / ')} (1 / 5 / 15 min) before the run; during it, other processes ` +
    `used ${fixed(share.otherCpuMs / 1000, 0)} CPU-seconds, ${fixed(100 * fraction, 0)} % of the ${cores} cores' time` +
    (fraction >= SHARED_MACHINE_SHARE ? ' — measured on a shared machine: other work took that much of the CPU the figures had' : '')
  );
}

/** The suite's results, and how devicegraph was started for them. */
interface SuiteResults {
  command: string;
  results: OperationResult[];
}

function suiteSections({ command, results }: SuiteResults, settings: Settings): string {
  const descriptions = results.map((result) => `- **${result.operation.name}** — ${result.operation.description}`).join('\n');
  return `${resultsTable(results)}

- **vendor calls / min**: calls the simulators logged for one request ÷ the fewest calls the
  page-planning rules allow (\`bench/operations.ts\` derives each minimum from \`planCalls\`).
  Target 1.00; ⚠ marks an operation above it.
- **p50 / p99 ms / critical path**: latency of sequential requests (one at a time, from a client in
  another process) ÷ the critical-path vendor latency — the longest chain of vendor calls the
  operation must make one after another × ${settings.latencyMs} ms. ⚠ marks a p50 ratio above ${TARGET.p50.toFixed(2)}.
- **req/s c=N (of ideal)**: autocannon requests per second at N concurrent connections, and in
  brackets the share of what the vendor latency alone would allow (N ÷ critical-path latency); ✗
  counts non-2xx answers and connection errors.
- **peak RSS**: devicegraph's process alone (its simulators run in another) while autocannon ran
  the operation.

devicegraph runs as deployed: \`${command}\` (built first), every vendor
configured as real against the five built-in simulators in a process of their own; its vendor
cache is off (\`VENDOR_CACHE_TTL_SECONDS=0\`), so every request makes its vendor calls.

## Vendor calls per vendor

${callsTable(results)}

## Where the latency goes (concurrency 1)

The **floor** is the same plumbing without GraphQL, in a process of its own: one HTTP hop from the
client with the operation's request body (parsed), the operation's vendor-call shape
(critical-path depth × parallel calls) over a keep-alive undici pool, each call answered by the
simulators' process after ${settings.latencyMs} ms with the very bytes and content type the
simulators answered devicegraph's calls of that operation (recorded once per operation), each body
read and \`JSON.parse\`d, and a JSON answer of the operation's response size. It is what loopback
HTTP, timers and reading the vendors' JSON cost on this machine; **p50 − floor** is what devicegraph
(GraphQL parsing, validation, execution, serialization, vendor clients) adds on top.

The **stack floor** is the stack devicegraph is built on, alone, in a process of its own: Apollo
Server 5 and graphql-js on node:http (the versions devicegraph runs, \`NODE_ENV=production\`,
Apollo's settings as devicegraph has them) serving devicegraph's schema with none of its resolvers,
plugins, validation rules or vendor clients. Per request it reads the request and makes the
floor's vendor calls, then Apollo parses, validates and executes the operation's document over the
data devicegraph answered to it (recorded once per operation, with every object's \`__typename\`),
each field answering what devicegraph answered under its response name, and serializes the answer:
devicegraph's answer to the byte (the bench checks it). **stack − floor** is what Apollo Server and
graphql-js cost for this document and this response, whoever builds on them; **p50 − stack floor**
is what devicegraph's own code adds beyond them (resolvers, vendor clients, its plugins and checks,
the HTTP app around Apollo), less what it saves graphql-js (fields without arguments share one
empty arguments object in devicegraph; the stack floor runs graphql-js as it comes). Sequential
requests to devicegraph, the floor and the stack floor alternate, so drift on the machine falls on
all three alike.

${latencyTable(results)}

## Operations

${descriptions}
`;
}

function report(
  suite: SuiteResults | undefined,
  coalescing: readonly CoalescingResult[],
  peers: PeerResults | undefined,
  settings: Settings,
  started: Date,
  share: MachineShare,
): string {
  const parts = [
    `# devicegraph benchmark results

Written by \`npm run bench\` (\`bench/run.ts\`); re-run it to refresh. Ratios are what matter:
absolute numbers move with the machine.

- Date: ${started.toISOString()}
- Machine: ${machine()}
- Other work: ${machineShare(share)}
- Node: ${nodeRuntime()}
${suite ? `- Suite: simulated vendor latency ${settings.latencyMs} ms per request; ${settings.samples} sequential latency samples per operation (and as many of its floor and of its stack floor, in turn) after ${WARMUP_REQUESTS} warm-up requests of each; autocannon ${settings.durationS} s per concurrency level\n` : ''}- Total run time: ${(share.elapsedMs / 1000).toFixed(0)} s
`,
    ...(suite ? [suiteSections(suite, settings)] : []),
    ...(coalescing.length > 0 ? [coalescingSection(coalescing, settings)] : []),
    ...(peers ? [peersSection(peers)] : []),
  ];
  return parts.join('\n');
}

// ---------------------------------------------------------------------------------------------

/** Runs the suite of `bench/operations.ts` against one devicegraph process, as deployed, and the two floors. */
async function measureSuite(operations: readonly BenchOperation[], settings: Settings): Promise<SuiteResults> {
  log(`devicegraph bench: ${operations.length} operations, vendor latency ${settings.latencyMs} ms, autocannon ${settings.durationS} s × ${CONCURRENCY.join('/')} connections`);
  const suite = await withSimulators(settings.latencyMs, async (simulators, dir): Promise<SuiteResults> => {
    const deviceGraph = await startDeviceGraph(simulators.ready.sets[0]!, dir, { env: SUITE_ENV });
    log(`  ${deviceGraph.server.command} (logs in ${dir})`);
    let floor: Suite['floor'] | undefined;
    let stackFloor: Suite['stackFloor'] | undefined;
    try {
      floor = await ForkedChild.start(join(BENCH_DIR, 'floor.ts'));
      // As devicegraph runs: graphql-js skips its development-time checks in production.
      stackFloor = await ForkedChild.start(join(BENCH_DIR, 'stack-floor.ts'), { NODE_ENV: 'production' });
      const suite: Suite = { simulators, deviceGraph, floor, stackFloor };
      const measured: OperationResult[] = [];
      for (const operation of operations) {
        log(`- ${operation.name} …`);
        const result = await measure(operation, suite, settings);
        measured.push(result);
        log(
          `  calls ${totalCalls(result)}/${result.minimum}, p50 ${fixed(result.p50Ms)} ms (floor ${fixed(result.floorP50Ms)}, stack floor ${fixed(result.stackFloorP50Ms)}), p99 ${fixed(result.p99Ms)} ms, ` +
            `req/s ${result.throughput.map((t) => fixed(t.requestsPerSecond, 0)).join(' / ')}, peak RSS ${mebibytes(result.peakRssBytes)} MiB`,
        );
      }
      return { command: deviceGraph.server.command, results: measured };
    } finally {
      await floor?.close();
      await stackFloor?.close();
      await deviceGraph.server.stop();
    }
  });
  console.log(`\n${resultsTable(suite.results)}\n\n${callsTable(suite.results)}\n\n${latencyTable(suite.results)}\n`);
  return suite;
}

async function main(): Promise<void> {
  const settings = readSettings();
  log(`Node ${nodeRuntime()}`);
  const started = new Date();
  const loadBefore = os.loadavg();
  const clock = performance.now();
  const cpuBefore = { machine: machineBusyMs(), own: ownCpuMs() };
  const operations = OPERATIONS.filter((operation) => !settings.only || operation.name.includes(settings.only));
  if (operations.length === 0) throw new Error(`no operation matches ${JSON.stringify(settings.only)}`);
  // Helper processes end with this one: forked ones when their channel closes, servers on exit.
  process.once('SIGINT', () => process.exit(130));

  const suite = settings.peers === 'only' ? undefined : await measureSuite(operations, settings);
  const coalescing = settings.peers === 'only' ? [] : await measureCoalescing(settings);
  let peers: PeerResults | undefined;
  if (settings.peers !== 'off') {
    log(`side by side with GraphQL Mesh: ${PEER_LATENCIES_MS.join('/')} ms vendor latency × ${PEER_CONNECTIONS.join('/')} connections, ${settings.durationS} s per run`);
    peers = await measurePeers({ durationS: settings.durationS }, log);
    console.log(`\n${peersTable(peers)}\n`);
  }
  const elapsedMs = performance.now() - clock;
  const otherCpuMs = Math.max(0, machineBusyMs() - cpuBefore.machine - (ownCpuMs() - cpuBefore.own));
  const elapsedS = elapsedMs / 1000;

  const markdown = report(suite, coalescing, peers, settings, started, { loadBefore, otherCpuMs, elapsedMs });
  if (settings.out) {
    await writeFile(settings.out, markdown);
    log(`wrote ${relative(process.cwd(), settings.out) || settings.out} in ${elapsedS.toFixed(0)} s`);
  } else {
    console.log(markdown);
  }
}

await main();
