// The sync benchmark: its own stack, a fresh tenant connected to a generated organisation of N users, then a
// first sync into the empty tenant and a re-sync with nothing changed, each measured against SPEC §8.
import { getApp } from '../../functions/src/app.ts';
import type { RunView } from '../../functions/src/sync/run/run-view.ts';
import type { SyncSettings } from '../../functions/src/sync/settings/settings.ts';
import { demoFixture, parseFixture } from '../google/fixture/index.ts';
import { startStack, type RunningStack } from '../stack/stack.ts';
import { waitForRun, type AdminClient } from './admin-client.ts';
import { BENCH_SETTINGS, connectedBenchTenant } from './bench-tenant.ts';
import { extensionVersions, extensionWrites, functionsHostPid, peakRssMiB, resetPeakRss } from './measure.ts';
import { BENCH_ADMIN_EMAIL, BENCH_CUSTOMER_ID, BENCH_GROUP_EMAIL, benchOrganisation } from './organisation.ts';
import { domainPages, groupJoinPages, targetMs, type SyncMeasurement } from './report.ts';
import type { GroupChoice } from '../../functions/src/sync/settings/settings.ts';
import { formatTimeline, runTimeline } from './timeline.ts';
import { cpuUse, formatCpu, readCpu } from './cpu.ts';
import { measureWriteFloor, type WriteFloor } from './write-floor.ts';
import { toDirectoryUser, type DirectoryUser } from '../../functions/src/google/directory-user.ts';
import { formatHistoryReads, measureHistoryReads } from './history-bench.ts';

/** What to benchmark. */
export interface BenchOptions {
  readonly users: number;
  readonly latencyMs: number;
  /** Progress lines go here, so the table stays the only thing on stdout worth parsing. */
  readonly log: (line: string) => void;
  /** Called once the stack is up, so an interrupt can stop it. */
  readonly onStack: (stack: RunningStack) => void;
}

/** A connected tenant and what measuring it needs. */
interface Bench {
  readonly stack: RunningStack;
  readonly tenantId: string;
  readonly admin: AdminClient;
  readonly hostPid: number;
  readonly options: BenchOptions;
  readonly floor: WriteFloor;
}

/** What the benchmark found: one measurement per sync, and the lines printed under their table. */
export interface SyncBenchResult {
  readonly rows: SyncMeasurement[];
  readonly notes: string[];
}

/** Runs the benchmark; the stack is stopped however it ends. */
export async function runSyncBench(options: BenchOptions): Promise<SyncBenchResult> {
  const { log } = options;
  const started = Date.now();
  log('Starting the stack…');
  // Ticks would start scheduled runs; an hourly interval keeps them out of the measurement, as npm test does.
  const stack = await startStack('test', { tickIntervalMs: 3_600_000 });
  options.onStack(stack);
  try {
    log(
      `Stack ready in ${((Date.now() - started) / 1000).toFixed(1)} s (${stack.addresses.instance}); logs in ${stack.dirs.logs}`,
    );
    log(`Generating and serving an organisation of ${options.users} users plus its admin…`);
    // Validated like a fixture file, so a generator mistake shows as a fixture error rather than as a slow sync.
    stack.google.fixtures.replace(
      parseFixture([...demoFixture(), benchOrganisation(options.users)], 'the benchmark organisation'),
    );
    const rows: SyncMeasurement[] = [];
    const floor = await writeFloor(stack, options);
    const notes = [historyFloorNote(floor)];
    const everyone = await connectedTenant(stack, options, floor);
    const allPages = domainPages(options.users + 1);
    rows.push(...(await measurePair(everyone, 'All Users', allPages, BENCH_SETTINGS)));
    const [first] = rows;
    if (first?.status === 'succeeded') {
      options.log("Reading the first sync's change list…");
      const reads = await measureHistoryReads(everyone.admin, first.runId, options.users);
      notes.push(formatHistoryReads(first.created, reads));
    }

    // The group range, into another empty tenant of the same organisation: members first, then the join.
    const grouped = await connectedTenant(stack, options, floor);
    const { groups } = (await (await grouped.admin.call('GET', '/api/google/groups')).json()) as {
      groups: GroupChoice[];
    };
    const group = groups.find((choice) => choice.email === BENCH_GROUP_EMAIL);
    if (!group) throw new Error(`The stand-in does not offer ${BENCH_GROUP_EMAIL}`);
    const groupSettings: SyncSettings = {
      ...BENCH_SETTINGS,
      range: 'groups',
      groups: [{ id: group.id, email: group.email, name: group.name }],
    };
    rows.push(
      ...(await measurePair(
        grouped,
        `Group (${group.directMembersCount} users)`,
        groupJoinPages(options.users + 1, group.directMembersCount),
        groupSettings,
      )),
    );
    return { rows, notes };
  } finally {
    log('Stopping the stack…');
    await stack.stop();
  }
}

/** A first sync into the empty tenant, then (if it succeeded) a re-sync with nothing changed. */
async function measurePair(
  bench: Bench,
  range: string,
  listingPages: number,
  settings: SyncSettings,
): Promise<SyncMeasurement[]> {
  const first = await measureSync(bench, `${range}: first sync`, listingPages, () =>
    bench.admin.run('PUT', '/api/sync/settings', settings),
  );
  // A re-sync after a failed first run would measure a repair, not "nothing changed".
  if (first.status !== 'succeeded') return [first];
  return [
    first,
    await measureSync(bench, `${range}: no-change re-sync`, listingPages, () =>
      bench.admin.run('POST', '/api/sync/runs', {}),
    ),
  ];
}

// Measured on the organisation the runs will list, so the documents have the shapes the runs write.
async function writeFloor(stack: RunningStack, options: BenchOptions): Promise<WriteFloor> {
  const org = stack.google.fixtures.organisations.find((candidate) => candidate.customerId === BENCH_CUSTOMER_ID);
  const users = (org?.users ?? []).flatMap((user): DirectoryUser[] => {
    const synced = toDirectoryUser(user);
    return synced ? [synced] : [];
  });
  options.log(`Measuring the write floor: ${users.length * 3} documents, the fastest the Firestore client allows…`);
  const floor = await measureWriteFloor(getApp().db, users);
  const rate = (ms: number) => `${((floor.documents / ms) * 1000).toFixed(0)} documents/s`;
  options.log(
    `Write floor: BulkWriter unthrottled ${(floor.bulkWriterMs / 1000).toFixed(2)} s (${rate(floor.bulkWriterMs)}), ` +
      `batched commits ${(floor.batchedMs / 1000).toFixed(2)} s (${rate(floor.batchedMs)})`,
  );
  options.log(formatCpu('the batched commits', floor.batchedCpu, floor.batchedMs));
  options.log(historyFloorNote(floor));
  return floor;
}

/** The history's cost at the store's fastest: the batched commits with and without each user's entry. */
function historyFloorNote(floor: WriteFloor): string {
  const ratio = floor.batchedWithHistoryMs / Math.max(1, floor.batchedMs);
  return (
    `History's cost at the write floor (${floor.users} users, batched commits side by side): ` +
    `${(floor.batchedMs / 1000).toFixed(2)} s without entries, ` +
    `${(floor.batchedWithHistoryMs / 1000).toFixed(2)} s with them, ${ratio.toFixed(2)} ×`
  );
}

async function connectedTenant(stack: RunningStack, options: BenchOptions, floor: WriteFloor): Promise<Bench> {
  const { tenantId, admin } = await connectedBenchTenant(stack, 'bench', BENCH_ADMIN_EMAIL, options.log);
  // Latency only from here on: the connect is not measured, the listing is.
  for (const method of ['users.list', 'users.get', 'members.list'] as const)
    stack.google.faults.setLatency(options.latencyMs, method);
  return { stack, tenantId, admin, hostPid: functionsHostPid(stack.addresses.ports.tasks), options, floor };
}

async function measureSync(
  bench: Bench,
  label: string,
  listingPages: number,
  start: () => Promise<RunView>,
): Promise<SyncMeasurement> {
  const { stack, tenantId, admin, hostPid, options, floor } = bench;
  const db = getApp().db;
  const before = await extensionVersions(db, tenantId);
  stack.google.faults.resetStats();
  const peakIsPerRun = resetPeakRss(hostPid);
  options.log(`Measuring the ${label}${peakIsPerRun ? '' : ' (peak RSS since the host started: clear_refs refused)'}…`);

  const cpuBefore = readCpu();
  const startedAt = Date.now();
  const begun = await start();
  if (Date.parse(begun.createdAt) < startedAt - 1000)
    throw new Error(`The ${label} joined run ${begun.id}, which was already running`);
  const shape = { directoryUsers: options.users + 1, latencyMs: options.latencyMs, listingPages };
  const run = await waitForRun(admin, begun.id, 10 * targetMs(shape) + 120_000, options.log);
  // The run's own end, not the poll that saw it, so the polling interval does not count.
  const wallMs = (run.finishedAt ? Date.parse(run.finishedAt) : Date.now()) - startedAt;
  const cpu = cpuUse(cpuBefore, readCpu());
  const stats = stack.google.faults.stats();
  const after = await extensionVersions(db, tenantId);
  // Before the run's createdAt: the start's own reads (the Google-managed count, and on an empty tenant its check).
  const startMs = Date.parse(begun.createdAt) - startedAt;
  if (run.finishedAt) options.log(formatTimeline(label, startMs, await runTimeline(db, tenantId, run.id)));
  options.log(formatCpu('the run', cpu, wallMs));
  return {
    label,
    runId: run.id,
    status: run.status,
    failure: run.failure ?? run.heldReason,
    wallMs,
    ...shape,
    usersListCalls: stats.byMethod['users.list'],
    membersListCalls: stats.byMethod['members.list'],
    usersGetCalls: stats.byMethod['users.get'],
    directoryCalls: stats.total,
    extensionWrites: extensionWrites(before, after),
    created: run.counts.created,
    unchanged: run.counts.unchanged,
    peakRssMiB: peakRssMiB(hostPid),
    writeFloorMs: run.counts.created * floor.msPerUser,
    cpuFloorMs: cpu.floorMs,
  };
}
