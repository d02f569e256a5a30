/**
 * `npm run bench:profile`: where devicegraph's CPU time per request goes. The built devicegraph
 * runs as `bench/peers.ts` runs it (production build, every vendor configured as real against a
 * simulator set in a process of its own) under `node --cpu-prof`, takes an unmeasured warm-up and
 * then autocannon load with the bench's audit-trail page, and this prints the server's CPU ms per
 * request (`/proc`) and the profile's top self time during the measured load, by function and by
 * package or file.
 *
 * Options: --duration-s (measured load, default 5), --warmup-s (default 2), --connections (default
 * 10), --latency-ms (simulated vendor latency, default 0), --cache-ttl-s (the server's
 * `VENDOR_CACHE_TTL_SECONDS`; its default when not given), --top (rows per table, default 25).
 * The `.cpuprofile` is kept (its path is printed) for Chrome DevTools.
 */
import { readdir, readFile, mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ForkedChild } from './child.js';
import { load } from './http.js';
import { startDeviceGraph, type Peer } from './peers.js';
import { processCpuMs } from './proc.js';
import type { SimulatorsReady, SimulatorsReply, SimulatorsRequest } from './simulators.js';
import { fixed, markdownTable } from './stats.js';

const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
const ROOT = dirname(BENCH_DIR);

const { values: options } = parseArgs({
  options: {
    'duration-s': { type: 'string', default: '5' },
    'warmup-s': { type: 'string', default: '2' },
    connections: { type: 'string', default: '10' },
    'latency-ms': { type: 'string', default: '0' },
    'cache-ttl-s': { type: 'string' },
    top: { type: 'string', default: '25' },
  },
});
const durationS = Number(options['duration-s']);
const connections = Number(options.connections);
const top = Number(options.top);

/** The parts of V8's `.cpuprofile` read here. */
interface CpuProfile {
  nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number } }>;
  /** Microseconds on the monotonic clock `process.hrtime` reads too (Linux). */
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** Where a frame's code lives: a package, a file of devicegraph or Node, or V8 itself. */
function codeOwner(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(V8 builtins)';
  const packageName = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url)?.[1];
  if (packageName) return packageName;
  return url.startsWith('file://') ? relative(ROOT, fileURLToPath(url)) : url;
}

/** Self time (µs) per function and per owner, of the samples taken between `fromUs` and `toUs`. */
function selfTimes(profile: CpuProfile, fromUs: number, toUs: number) {
  const frames = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  const byFunction = new Map<string, number>();
  const byOwner = new Map<string, number>();
  let busyUs = 0;
  let at = profile.startTime;
  profile.samples.forEach((id, index) => {
    at += profile.timeDeltas[index]!;
    // A sample stands for the time until the next one.
    const us = profile.timeDeltas[index + 1] ?? 0;
    const frame = frames.get(id)!;
    if (at < fromUs || at > toUs || frame.functionName === '(idle)') return;
    busyUs += us;
    const owner = codeOwner(frame.url, frame.functionName);
    const name = `${frame.functionName || '(anonymous)'} ${frame.url ? `${owner}:${frame.lineNumber + 1}` : ''}`.trim();
    byFunction.set(name, (byFunction.get(name) ?? 0) + us);
    byOwner.set(owner, (byOwner.get(owner) ?? 0) + us);
  });
  return { busyUs, byFunction, byOwner };
}

function topTable(heading: string, times: Map<string, number>, busyUs: number, requests: number): string {
  const rows = [...times].sort((a, b) => b[1] - a[1]).slice(0, top).map(([name, us]) => [name, fixed(us / 1000, 0), fixed((100 * us) / busyUs, 1), fixed(us / requests, 1)]);
  return markdownTable([heading, 'self ms', '% of busy', 'µs per request'], rows, ['l', 'r', 'r', 'r']);
}

const monotonicUs = () => Number(process.hrtime.bigint() / 1000n);

const dir = await mkdtemp(join(os.tmpdir(), 'devicegraph-profile-'));
const simulators = await ForkedChild.start<SimulatorsRequest, SimulatorsReply, SimulatorsReady>(join(BENCH_DIR, 'simulators.ts'), { BENCH_SIMULATOR_SETS: '1' });
let peer: Peer | undefined;
try {
  await simulators.request({ type: 'latency', latencyMs: Number(options['latency-ms']) });
  const ttl = options['cache-ttl-s'];
  peer = await startDeviceGraph(simulators.ready.sets[0]!, dir, { nodeArgs: ['--cpu-prof', '--cpu-prof-dir', dir], env: ttl === undefined ? {} : { VENDOR_CACHE_TTL_SECONDS: ttl } });
  console.log(`${peer.server.command} (logs and profile in ${dir})`);
  await load(peer.url, peer.body, { connections, durationS: Number(options['warmup-s']) });

  const cpuBefore = processCpuMs(peer.server.pid);
  const fromUs = monotonicUs();
  const result = await load(peer.url, peer.body, { connections, durationS, expectBody: peer.answer });
  const toUs = monotonicUs();
  const cpuMs = processCpuMs(peer.server.pid) - cpuBefore;
  const pid = peer.server.pid;
  await peer.server.stop();

  const requests = result.requests.total;
  const failures = result.non2xx + result.errors + result.timeouts + result.mismatches;
  console.log(`c=${connections}, ${durationS} s: ${fixed(requests / result.duration, 0)} req/s, p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, **${fixed(cpuMs / requests, 3)} CPU ms per request** (/proc)${failures ? `, ${failures} failed` : ''}`);

  // The main thread's profile: CPU.<date>.<time>.<pid>.0.<seq>.cpuprofile
  const file = (await readdir(dir)).find((name) => name.endsWith('.cpuprofile') && name.includes(`.${pid}.0.`));
  if (!file) throw new Error(`no CPU profile of the server's main thread in ${dir}`);
  const profile = JSON.parse(await readFile(join(dir, file), 'utf8')) as CpuProfile;
  const { busyUs, byFunction, byOwner } = selfTimes(profile, fromUs, toUs);
  console.log(`\nProfile ${join(dir, file)}: main thread busy ${fixed(busyUs / 1000, 0)} ms during the measured load (${fixed(busyUs / 1000 / requests, 3)} ms per request)\n`);
  console.log(topTable('package or file', byOwner, busyUs, requests));
  console.log();
  console.log(topTable('function', byFunction, busyUs, requests));
} finally {
  await peer?.server.stop();
  await simulators.close();
}
