// What the benchmarks read besides the runs themselves: the functions host's peak memory from /proc, which extension
// documents a run wrote, from their Firestore update times; and the percentiles they report.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { Firestore } from '@google-cloud/firestore';

/**
 * The pid of the functions host this process started on `port`. The stack does not expose its child, so it is
 * found in /proc: a child of this process whose command line is functions-host.ts with that port.
 */
export function functionsHostPid(port: number): number {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    const argv = readProc(pid, 'cmdline')?.split('\0').filter(Boolean);
    const script = argv?.findIndex((arg) => arg.endsWith('functions-host.ts')) ?? -1;
    if (script < 0 || argv?.[script + 1] !== String(port)) continue;
    // Another stack (npm start, npm test) may run its own host; only ours is a child of this process.
    if (parentPid(pid) === process.pid) return pid;
  }
  throw new Error(`No functions host on port ${port} among this process's children`);
}

/**
 * Resets the process's peak RSS to its current RSS (Linux clear_refs "5"), so each run's peak is its own.
 * Returns false when the kernel refuses; the peak is then the process's peak since it started.
 */
export function resetPeakRss(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

/** The process's peak resident set (VmHWM) in MiB. */
export function peakRssMiB(pid: number): number {
  const match = /^VmHWM:\s+(\d+) kB$/m.exec(readProc(pid, 'status') ?? '');
  if (!match?.[1]) throw new Error(`Cannot read VmHWM of process ${pid}; did the functions host exit?`);
  return Number(match[1]) / 1024;
}

/** Extension number → its document's update time; enough to tell later which documents were written. */
export type ExtensionVersions = ReadonlyMap<string, string>;

/** Reads every extension of the tenant, without its fields: only ids and update times are needed. */
export async function extensionVersions(db: Firestore, tenantId: string): Promise<ExtensionVersions> {
  const snapshot = await db.collection(`tenants/${tenantId}/extensions`).select().get();
  return new Map(snapshot.docs.map((doc) => [doc.id, doc.updateTime.valueOf()]));
}

/** Documents created, updated or deleted between two readings. */
export function extensionWrites(before: ExtensionVersions, after: ExtensionVersions): number {
  let writes = 0;
  for (const [id, version] of after) if (before.get(id) !== version) writes++;
  for (const id of before.keys()) if (!after.has(id)) writes++;
  return writes;
}

function readProc(pid: number, file: string): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/${file}`, 'utf8');
  } catch {
    // The process ended while /proc was being read.
    return undefined;
  }
}

function parentPid(pid: number): number | undefined {
  // The command name in /proc/<pid>/stat may hold spaces or parentheses; the fields after its last ")" do not.
  const stat = readProc(pid, 'stat');
  const fields = stat?.slice(stat.lastIndexOf(')') + 2).split(' ');
  return fields?.[1] === undefined ? undefined : Number(fields[1]);
}

/** The value at percentile `p` (nearest rank) of `values`. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}
