// CPU time of the stack's processes, read from /proc around a measured run. On a machine with few cores the
// emulators, the functions hosts and the Google stand-in share them, so a run can be bound by CPU before it is by
// the listing or the store: the sum of their CPU time over the cores is a floor of its own (what the run's work
// costs, at best, on this machine), and which process took it says what to cut.
import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { readdirSync, readFileSync } from 'node:fs';

/** The parts of the stack a process is counted in, by its command line. */
const PARTS = [
  ['tasks host', (argv: string) => /functions-host\.ts\0\d+\0topic/.test(argv)],
  ['HTTP host', (argv: string) => /functions-host\.ts\0\d+\0http/.test(argv)],
  ['Firestore emulator', (argv: string) => argv.includes('CloudFirestore')],
  ['Pub/Sub emulator', (argv: string) => /pubsub/i.test(argv)],
  ['Auth emulator', (argv: string) => argv.includes('firebase')],
] as const;

/** This process: the Google stand-in, the Pub/Sub relay and the benchmark's own reads. */
const SELF = 'stand-in and relay';

/** CPU milliseconds per part of the stack, and the whole machine's busy and elapsed CPU milliseconds. */
export interface CpuReading {
  readonly byPart: ReadonlyMap<string, number>;
  readonly machineBusyMs: number;
  readonly machineTotalMs: number;
}

/** What a measured span used. */
export interface CpuUse {
  readonly cores: number;
  /** Each part's CPU milliseconds over the span, largest first. */
  readonly byPart: readonly (readonly [string, number])[];
  /** The stack's CPU milliseconds over the cores: the span cannot be shorter on this machine. */
  readonly floorMs: number;
  /** Of the machine's CPU over the span, the share busy (any process). */
  readonly machineBusy: number;
}

const clockTicksPerSecond = (() => {
  const answer = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' });
  const ticks = Number(answer.stdout.trim());
  return Number.isInteger(ticks) && ticks > 0 ? ticks : 100;
})();
const ticksToMs = (ticks: number) => (ticks * 1000) / clockTicksPerSecond;

function readProc(pid: number, file: string): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/${file}`, 'utf8');
  } catch {
    // The process ended while /proc was being read: its time since the last reading is lost, which undercounts.
    return undefined;
  }
}

// The fields of /proc/<pid>/stat after the command name, which may hold spaces or parentheses.
function statFields(pid: number): string[] | undefined {
  const stat = readProc(pid, 'stat');
  return stat?.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/** Reads the CPU time of this process and its descendants, by part, and the machine's. */
export function readCpu(): CpuReading {
  const parents = new Map<number, number>();
  const cpuMs = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const fields = statFields(Number(entry));
    // After the name: state, ppid, …, utime and stime are the 12th and 13th.
    if (!fields || fields.length < 13) continue;
    parents.set(Number(entry), Number(fields[1]));
    cpuMs.set(Number(entry), ticksToMs(Number(fields[11]) + Number(fields[12])));
  }
  const descends = (pid: number): boolean => {
    for (let at = parents.get(pid); at !== undefined && at > 1; at = parents.get(at))
      if (at === process.pid) return true;
    return false;
  };
  const byPart = new Map<string, number>();
  for (const [pid, ms] of cpuMs) {
    if (pid !== process.pid && !descends(pid)) continue;
    const argv = pid === process.pid ? '' : (readProc(pid, 'cmdline') ?? '');
    const part = pid === process.pid ? SELF : (PARTS.find(([, matches]) => matches(argv))?.[0] ?? 'other');
    byPart.set(part, (byPart.get(part) ?? 0) + ms);
  }
  // The first line of /proc/stat: "cpu" and the whole machine's ticks in each state.
  const [, ...machine] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).map(Number);
  // user nice system idle iowait irq softirq steal: idle and iowait are not busy.
  const total = machine.slice(0, 8).reduce((sum, ticks) => sum + ticks, 0);
  const idle = (machine[3] ?? 0) + (machine[4] ?? 0);
  return { byPart, machineBusyMs: ticksToMs(total - idle), machineTotalMs: ticksToMs(total) };
}

/** What was used between two readings. */
export function cpuUse(before: CpuReading, after: CpuReading): CpuUse {
  const cores = availableParallelism();
  const byPart = [...after.byPart]
    .map(([part, ms]): [string, number] => [part, ms - (before.byPart.get(part) ?? 0)])
    .filter(([, ms]) => ms > 0)
    .sort((a, b) => b[1] - a[1]);
  const stackMs = byPart.reduce((sum, [, ms]) => sum + ms, 0);
  const elapsed = after.machineTotalMs - before.machineTotalMs;
  return {
    cores,
    byPart,
    floorMs: stackMs / cores,
    machineBusy: elapsed > 0 ? (after.machineBusyMs - before.machineBusyMs) / elapsed : 0,
  };
}

/** One line: the machine's load, each part's CPU seconds and cores, and the CPU floor. */
export function formatCpu(label: string, use: CpuUse, wallMs: number): string {
  const parts = use.byPart
    .map(([part, ms]) => `${part} ${(ms / 1000).toFixed(2)} s (${(ms / wallMs).toFixed(2)} cores)`)
    .join(', ');
  return (
    `  CPU (${use.cores} cores, ${(use.machineBusy * 100).toFixed(0)}% busy over ${label}): ${parts}; ` +
    `CPU floor ${(use.floorMs / 1000).toFixed(2)} s = ${((use.floorMs / wallMs) * 100).toFixed(0)}% of the wall`
  );
}
