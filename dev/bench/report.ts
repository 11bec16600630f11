// The benchmark's figures for one measured sync, set against SPEC §8, and the table they are printed in.

/** What was measured of one sync. */
export interface SyncMeasurement {
  readonly label: string;
  readonly status: string;
  readonly failure: string | null;
  readonly wallMs: number;
  /** Directory users in the connected organisation, the admin included. */
  readonly directoryUsers: number;
  readonly latencyMs: number;
  readonly usersListCalls: number;
  readonly directoryCalls: number;
  readonly extensionWrites: number;
  readonly created: number;
  readonly unchanged: number;
  readonly peakRssMiB: number;
}

/** Users per users.list page, Google's maximum, which the sync asks for. */
const PAGE_SIZE = 500;

/** Pages of the domain chain; the deleted-users chain (one page) runs beside it and does not lengthen it. */
export function domainPages(directoryUsers: number): number {
  return Math.ceil(directoryUsers / PAGE_SIZE);
}

/** The listing bound of SPEC §8: pages × page latency. */
export function listingBoundMs(m: Pick<SyncMeasurement, 'directoryUsers' | 'latencyMs'>): number {
  return domainPages(m.directoryUsers) * m.latencyMs;
}

/** SPEC §8's full-sync target: 1.5 × the listing bound + 2 s, because listing and writing overlap. */
export function targetMs(m: Pick<SyncMeasurement, 'directoryUsers' | 'latencyMs'>): number {
  return 1.5 * listingBoundMs(m) + 2000;
}

const seconds = (ms: number) => (ms / 1000).toFixed(2);

/** One line per measured sync, columns aligned. */
export function formatTable(rows: readonly SyncMeasurement[]): string {
  const header = ['sync', 'status', 'wall s', 'bound s', 'wall/bound', 'target s', 'met', 'users.list', 'all calls', 'ext writes', 'created', 'unchanged', 'peak RSS MiB'];
  const lines = rows.map((m) => {
    const bound = listingBoundMs(m);
    return [
      m.label,
      m.status,
      seconds(m.wallMs),
      seconds(bound),
      bound > 0 ? (m.wallMs / bound).toFixed(2) : '-',
      seconds(targetMs(m)),
      m.wallMs <= targetMs(m) ? 'yes' : 'NO',
      String(m.usersListCalls),
      String(m.directoryCalls),
      String(m.extensionWrites),
      String(m.created),
      String(m.unchanged),
      m.peakRssMiB.toFixed(0),
    ];
  });
  const widths = header.map((title, i) => Math.max(title.length, ...lines.map((line) => line[i]?.length ?? 0)));
  const format = (cells: readonly string[]) => cells.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  const failures = rows.filter((m) => m.failure).map((m) => `${m.label}: ${m.failure}`);
  return [format(header), format(widths.map((w) => '-'.repeat(w))), ...lines.map(format), ...failures].join('\n');
}
