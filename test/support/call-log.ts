import type { CallLogEntry, Simulator } from '../../src/simulators/server.js';

/** A simulator's call log without arrival times, for comparing with expected calls. */
export function loggedCalls(simulator: Simulator): Array<Omit<CallLogEntry, 'at'>> {
  return simulator.calls.map((call) => {
    const { at, ...rest } = call;
    void at;
    return rest;
  });
}

/** The most events any window of `windowMs` holds, wherever it starts. */
export function busiestWindow(times: readonly number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (sorted[i]! - sorted[j]! >= windowMs) j++;
    most = Math.max(most, i - j + 1);
  }
  return most;
}
