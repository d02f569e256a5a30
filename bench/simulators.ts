/**
 * The bench's vendors in a process of their own, so that each server process's CPU time is its own
 * work: `BENCH_SIMULATOR_SETS` independent sets of the five built-in simulators, each with the same
 * seeds (the same data), one set per server so no server warms another's vendor. One latency knob
 * sets every simulator of every set.
 *
 * Beside them, the floor's vendor (`bench/floor.ts`): answers a set's simulators gave, recorded
 * once and replayed byte for byte, with their content type, after the same latency, from this
 * same event loop.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { vendorEndpoints } from '../src/endpoints.js';
import { startSimulators } from '../src/simulators/index.js';
import type { VendorEndpoints } from '../src/vendors/clients.js';
import { VENDORS } from '../src/vendors/vendor.js';
import { serveRunner } from './child.js';
import { clearVendorCalls, vendorCalls, type VendorCalls } from './vendor-calls.js';

export type SimulatorsRequest =
  /** Every simulator of every set (and the replay) answers after `latencyMs` from now on. */
  | { type: 'latency'; latencyMs: number }
  /** Vendor calls each set received since the last `clearCalls`. */
  | { type: 'calls' }
  | { type: 'clearCalls' }
  /** Whether the simulators keep the answers they send in their call logs from now on. */
  | { type: 'recordAnswers'; on: boolean }
  /** Keeps the answers set `set` recorded since the last `clearCalls` for replay; replies with where. */
  | { type: 'replay'; set: number }
  | { type: 'close' };

export interface SimulatorsReply {
  calls?: VendorCalls[];
  replay?: Replay;
}

/** Recorded answers to replay: GET `${url}/${index}` answers the answer `index` modulo `count` (none recorded: 404). */
export interface Replay {
  url: string;
  count: number;
}

/** Where each set's simulators listen and the credentials they accept. */
export interface SimulatorSet {
  endpoints: VendorEndpoints;
  automoxDefaultOrgId: string;
}

export interface SimulatorsReady {
  sets: SimulatorSet[];
}

interface Answer {
  contentType: string;
  body: string;
}

const count = Number(process.env.BENCH_SIMULATOR_SETS ?? 2);
let latencyMs = 0;
const sets = await Promise.all(Array.from({ length: count }, () => startSimulators(VENDORS, { knobs: { latencyMs } })));
const simulators = sets.flatMap((set) => Object.values(set.simulators).filter((simulator) => simulator !== undefined));

const replays: Answer[][] = [];
const replayServer: Server = createServer((req, res) => {
  // Latency counted from arrival, as the simulators count theirs.
  const arrived = performance.now();
  req.resume();
  // /replay/<replay>/<index>
  const [, , replay, index] = (req.url ?? '').split('/');
  const answers = replays[Number(replay)];
  setTimeout(() => {
    if (!answers?.length) {
      res.writeHead(404).end();
      return;
    }
    const answer = answers[Number(index) % answers.length]!;
    res.writeHead(200, { 'content-type': answer.contentType });
    res.end(answer.body);
  }, Math.max(0, latencyMs - (performance.now() - arrived)));
});
await new Promise<void>((resolve) => replayServer.listen(0, '127.0.0.1', resolve));
const replayOrigin = `http://127.0.0.1:${(replayServer.address() as AddressInfo).port}`;

/** The answers set `set` sent since its call logs were cleared, in the order the calls came. */
function recordedAnswers(set: number): Answer[] {
  return Object.values(sets[set]!.simulators)
    .flatMap((simulator) => simulator?.calls ?? [])
    .sort((a, b) => a.at - b.at)
    .flatMap((call) => (call.answer ? [call.answer] : []));
}

serveRunner<SimulatorsRequest, SimulatorsReply>(
  { sets: sets.map((set) => ({ endpoints: vendorEndpoints({}, set.endpoints), automoxDefaultOrgId: set.automoxDefaultOrgId! })) } satisfies SimulatorsReady,
  (request) => {
    switch (request.type) {
      case 'latency':
        latencyMs = request.latencyMs;
        for (const simulator of simulators) simulator.knobs.latencyMs = latencyMs;
        return {};
      case 'calls':
        return { calls: sets.map(vendorCalls) };
      case 'clearCalls':
        sets.forEach(clearVendorCalls);
        return {};
      case 'recordAnswers':
        for (const simulator of simulators) simulator.knobs.recordAnswers = request.on;
        return {};
      case 'replay': {
        const answers = recordedAnswers(request.set);
        replays.push(answers);
        return { replay: { url: `${replayOrigin}/replay/${replays.length - 1}`, count: answers.length } };
      }
      case 'close':
        return {};
    }
  },
  async () => {
    replayServer.closeAllConnections();
    await Promise.all([...sets.map((set) => set.close()), new Promise((resolve) => replayServer.close(resolve))]);
  },
);
