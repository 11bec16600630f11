// The benchmark's figures for one measured sync, set against SPEC §8, and the table they are printed in.

/** What was measured of one sync. */
export interface SyncMeasurement {
  readonly label: string;
  readonly runId: string;
  readonly status: string;
  readonly failure: string | null;
  readonly wallMs: number;
  /** Directory users in the connected organisation, the admin included. */
  readonly directoryUsers: number;
  readonly latencyMs: number;
  /** Pages on the critical path: one after another, each costing one page latency. */
  readonly listingPages: number;
  readonly usersListCalls: number;
  readonly membersListCalls: number;
  readonly usersGetCalls: number;
  readonly directoryCalls: number;
  readonly extensionWrites: number;
  readonly created: number;
  readonly unchanged: number;
  readonly peakRssMiB: number;
  /** What the emulator needs, at its fastest, to write the users this run created (0 when it created none). */
  readonly writeFloorMs: number;
  /** The stack's CPU time over the run divided by the machine's cores: how fast this machine could do the run's
   * work were it spread perfectly over them. Not part of the floor: less work lowers it. */
  readonly cpuFloorMs: number;
}

/** Users per users.list page and members per members.list page: Google's maxima, which the sync asks for. */
const USERS_PAGE = 500;
const MEMBERS_PAGE = 200;

/** Pages of the domain chain; the deleted-users chain (one page) runs beside it and does not lengthen it. */
export function domainPages(directoryUsers: number): number {
  return Math.ceil(directoryUsers / USERS_PAGE);
}

/** Pages of a group run joined with the domain listing: the membership listing, then the domain's. */
export function groupJoinPages(directoryUsers: number, members: number): number {
  return Math.ceil(members / MEMBERS_PAGE) + domainPages(directoryUsers);
}

/** The listing bound of SPEC §8: pages × page latency. */
export function listingBoundMs(m: Pick<SyncMeasurement, 'listingPages' | 'latencyMs'>): number {
  return m.listingPages * m.latencyMs;
}

/** SPEC §8's full-sync target: 1.5 × the listing bound + 2 s, because listing and writing overlap. */
export function targetMs(m: Pick<SyncMeasurement, 'listingPages' | 'latencyMs'>): number {
  return 1.5 * listingBoundMs(m) + 2000;
}

/** The floor of a run: it can neither list faster than the listing bound nor write faster than the write floor. */
export function floorMs(m: Pick<SyncMeasurement, 'listingPages' | 'latencyMs' | 'writeFloorMs'>): number {
  return Math.max(listingBoundMs(m), m.writeFloorMs);
}

/** The goal against the floor: a run within 1.2 × what the listing and the store allow. */
export const FLOOR_GOAL = 1.2;

/** The goal with the history on (each change's entry written beside it), against the same floor without it. */
export const HISTORY_FLOOR_GOAL = 1.3;

/** SPEC §8's memory target for the process that runs page tasks. */
export const RSS_TARGET_MIB = 256;

const seconds = (ms: number) => (ms / 1000).toFixed(2);

/** One line per measured sync, columns aligned. */
export function formatTable(rows: readonly SyncMeasurement[]): string {
  const header = [
    'sync',
    'status',
    'wall s',
    'bound s',
    'writes s',
    'floor s',
    'wall/floor',
    `≤${FLOOR_GOAL}`,
    `≤${HISTORY_FLOOR_GOAL}`,
    'CPU s/core',
    'SPEC s',
    'met',
    'pages',
    'Directory calls',
    'ext writes',
    'created',
    'unchanged',
    'peak RSS MiB',
    '<256',
  ];
  const lines = rows.map((m) => {
    const floor = floorMs(m);
    return [
      m.label,
      m.status,
      seconds(m.wallMs),
      seconds(listingBoundMs(m)),
      seconds(m.writeFloorMs),
      seconds(floor),
      floor > 0 ? (m.wallMs / floor).toFixed(2) : '-',
      m.wallMs <= FLOOR_GOAL * floor ? 'yes' : 'NO',
      m.wallMs <= HISTORY_FLOOR_GOAL * floor ? 'yes' : 'NO',
      seconds(m.cpuFloorMs),
      seconds(targetMs(m)),
      m.wallMs <= targetMs(m) ? 'yes' : 'NO',
      String(m.listingPages),
      `${m.directoryCalls} (list ${m.usersListCalls}, members ${m.membersListCalls}, get ${m.usersGetCalls})`,
      String(m.extensionWrites),
      String(m.created),
      String(m.unchanged),
      m.peakRssMiB.toFixed(0),
      m.peakRssMiB < RSS_TARGET_MIB ? 'yes' : 'NO',
    ];
  });
  const widths = header.map((title, i) => Math.max(title.length, ...lines.map((line) => line[i]?.length ?? 0)));
  const format = (cells: readonly string[]) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  const failures = rows.filter((m) => m.failure).map((m) => `${m.label}: ${m.failure}`);
  return [format(header), format(widths.map((w) => '-'.repeat(w))), ...lines.map(format), ...failures].join('\n');
}
