/** CPU time and memory from Linux's /proc: of one process, of this one with its children, of the machine. */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

let clockTicks: number | undefined;
/** /proc counts CPU time in clock ticks (USER_HZ). */
function msPerTick(): number {
  clockTicks ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  return 1000 / clockTicks;
}

/** The fields of /proc/<pid>/stat after the parenthesized command name (field 3 first). */
function statFields(pid: number | 'self'): number[] {
  return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ').map(Number);
}

/** CPU time (user + system) process `pid` has used so far, in milliseconds. */
export function processCpuMs(pid: number): number {
  const fields = statFields(pid);
  return (fields[11]! + fields[12]!) * msPerTick();
}

/** CPU time of this process and of its children that have ended, in milliseconds. */
export function ownCpuMs(): number {
  const fields = statFields('self');
  return (fields[11]! + fields[12]! + fields[13]! + fields[14]!) * msPerTick();
}

/** The peak resident set of process `pid` so far (`VmHWM`), in bytes: since it started or since `resetPeakRss`. */
export function peakRssBytes(pid: number): number {
  const match = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) * 1024 : Number.NaN;
}

/**
 * CPU time all cores of the machine have spent running processes (user and system time) or taken
 * by the hypervisor (steal), in milliseconds. Interrupt time is left out: the kernel charges it to
 * no process, so it could not be told apart from the bench's own loopback traffic.
 */
export function machineBusyMs(): number {
  const [, ...ticks] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).map(Number);
  const [user = 0, nice = 0, system = 0, , , , , steal = 0] = ticks;
  return (user + nice + system + steal) * msPerTick();
}

/** Starts process `pid`'s peak resident set afresh from its current one (Linux ≥ 4.0, a process of the same user). */
export function resetPeakRss(pid: number): void {
  writeFileSync(`/proc/${pid}/clear_refs`, '5');
}
