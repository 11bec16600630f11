// The sync's history (issue: "What the sync did, told to the admin"): every run records one entry per change, in the
// commit that made it, listed and searched through the admin API a page at a time and downloaded as RFC 4180 CSV.
// Redelivered and reordered tasks leave one entry per change.
import assert from 'node:assert/strict';
import { getApp } from '../../functions/src/app.ts';
import type { ChangePage, HistoryItem } from '../../functions/src/sync/history/history-query.ts';
import { DEFAULT_SETTINGS } from '../../functions/src/sync/settings/settings.ts';
import { syncPaths } from '../../functions/src/tenants/paths.ts';
import { adminApi } from '../support/connect-flow.ts';
import { editUsers, largeOrganisation, withDirectory } from '../support/directory.ts';
import { parseCsv } from '../support/csv.ts';
import { runWithDelivery } from '../support/task-harness.ts';
import { connect } from '../support/connect-flow.ts';
import { createTestTenant, type TestTenant } from '../support/tenants.ts';
import { connectedTenant, extensionsOf, saveSettings, syncNow, syncWith, waitForRun } from '../support/sync.ts';

async function changes(tenant: TestTenant, id: string, query = ''): Promise<ChangePage> {
  const response = await adminApi(tenant, 'GET', `/api/sync/history/${id}/changes${query}`);
  const body = (await response.json()) as ChangePage & { error?: { message: string } };
  assert.equal(response.status, 200, body.error?.message);
  return body;
}

async function allChanges(tenant: TestTenant, id: string, query = ''): Promise<ChangePage['changes'][number][]> {
  const found: ChangePage['changes'][number][] = [];
  let after: string | null = null;
  do {
    const separator = query ? '&' : '?';
    const page: ChangePage = await changes(tenant, id, `${query}${after ? `${separator}after=${after}` : ''}`);
    found.push(...page.changes);
    after = page.next;
  } while (after);
  return found;
}

async function history(tenant: TestTenant): Promise<HistoryItem[]> {
  const response = await adminApi(tenant, 'GET', '/api/sync/history');
  assert.equal(response.status, 200);
  return ((await response.json()) as { runs: HistoryItem[] }).runs;
}

describe('sync history', function () {
  this.timeout(180_000);

  it('records each created and skipped user of a first sync, searchable by kind, address and name', async () => {
    const tenant = await connectedTenant();
    const path = 'externalIds.#(type=="organization").value';
    const run = await syncWith(tenant, { numbering: { mode: 'property', path } });
    const entries = await allChanges(tenant, run.id);
    const created = entries.filter((entry) => entry.kind === 'created');
    assert.equal(created.length, run.counts.created);
    assert.equal(entries.filter((entry) => entry.kind === 'skipped').length, run.counts.skipped);
    assert.equal(entries.length, run.counts.created + run.counts.skipped, 'no other entry');
    const extensions = await extensionsOf(tenant.tenantId);
    for (const entry of created) assert.equal(extensions.get(entry.number ?? '')?.email, entry.email);
    const marcus = created.find((entry) => entry.email === 'marcus.reed@acme.example');
    assert.equal(marcus?.number, '2101');
    assert.equal(marcus.name, 'Marcus Reed');
    const laura = entries.find((entry) => entry.email === 'laura.schmidt@acme.example');
    assert.deepEqual([laura?.kind, laura?.reason], ['skipped', `property ${path} is missing`]);
    assert.deepEqual(
      entries.map((entry) => entry.email),
      entries.map((entry) => entry.email).sort(),
      'ordered by address',
    );

    const skipped = await changes(tenant, run.id, '?kind=skipped');
    assert.ok(skipped.changes.length > 0 && skipped.changes.every((entry) => entry.kind === 'skipped'));
    assert.deepEqual(
      (await changes(tenant, run.id, '?q=Marcus.Reed@acme.example')).changes.map((entry) => entry.number),
      ['2101'],
      'an address is found whatever its case',
    );
    assert.deepEqual(
      (await changes(tenant, run.id, '?q=reed')).changes.map((entry) => entry.email),
      ['marcus.reed@acme.example'],
    );
    assert.equal((await changes(tenant, run.id, '?kind=created&q=laura')).changes.length, 0);
    const refused = await adminApi(tenant, 'GET', `/api/sync/history/${run.id}/changes?kind=exploded`);
    assert.equal(refused.status, 400);
    assert.match(((await refused.json()) as { error: { message: string } }).error.message, /kind must be one of/);

    const listed = (await history(tenant)).find((item) => item.id === run.id);
    assert.deepEqual(
      [listed?.trigger, listed?.status, listed?.counts.created],
      ['save', 'succeeded', run.counts.created],
    );
  });

  it('records an update with its fields before and after, a renumber with both numbers, and a deletion', async () => {
    const tenant = await connectedTenant();
    const path = 'externalIds.#(type=="organization").value';
    await syncWith(tenant, { numbering: { mode: 'property', path }, deleteWhen: 'suspended' });
    await withDirectory(
      editUsers('acme.example', (users) =>
        users.map((user) => {
          if (user.primaryEmail === 'marcus.reed@acme.example')
            return { ...user, externalIds: [{ type: 'organization', value: '2199' }] };
          if (user.primaryEmail === 'benjamin.clarke@acme.example') return { ...user, suspended: true };
          if (user.primaryEmail === 'olivia.bennett@acme.example')
            return { ...user, organizations: [{ title: 'Head of Sales', primary: true }] };
          return user;
        }),
      ),
      async () => {
        const run = await waitForRun(tenant, (await syncNow(tenant)).id);
        const entries = await allChanges(tenant, run.id);
        const byEmail = new Map(entries.map((entry) => [entry.email, entry]));
        const marcus = byEmail.get('marcus.reed@acme.example');
        assert.deepEqual([marcus?.kind, marcus?.from, marcus?.number], ['renumbered', '2101', '2199']);
        const olivia = byEmail.get('olivia.bennett@acme.example');
        assert.equal(olivia?.kind, 'updated');
        assert.deepEqual(olivia.fields, [
          { field: 'Job Title', before: 'Chief Executive Officer', after: 'Head of Sales' },
        ]);
        const benjamin = byEmail.get('benjamin.clarke@acme.example');
        assert.deepEqual([benjamin?.kind, benjamin?.reason], ['deleted', 'user suspended']);
        assert.equal(entries.filter((entry) => entry.kind !== 'skipped').length, 3, JSON.stringify(entries));
      },
    );
  });

  it('pages through a large run 100 at a time, and the CSV holds the same rows with a header', async () => {
    await withDirectory(
      (orgs) => [...orgs, largeOrganisation('history.example', 'C0hist001', 250)],
      async () => {
        const tenant = await createTestTenant();
        assert.equal(await connect(tenant, { email: 'admin@history.example' }), 'connected');
        const run = await syncWith(tenant, { numbering: { mode: 'auto', start: '4000' } });
        const first = await changes(tenant, run.id);
        assert.equal(first.changes.length, 100);
        assert.ok(first.next);
        const entries = await allChanges(tenant, run.id);
        assert.equal(entries.length, 250);
        assert.equal(new Set(entries.map((entry) => entry.email)).size, 250, 'no entry twice across pages');

        const response = await adminApi(tenant, 'GET', `/api/sync/history/${run.id}/changes.csv`);
        assert.equal(response.status, 200);
        assert.match(response.headers.get('content-type') ?? '', /^text\/csv/);
        assert.match(response.headers.get('content-disposition') ?? '', /attachment; filename="sync-changes-.*\.csv"/);
        const rows = parseCsv(await response.text());
        assert.deepEqual(rows[0], [
          'Change',
          'Name',
          'Email Address',
          'Extension',
          'Previous extension',
          'Fields',
          'Reason',
          'At',
        ]);
        assert.deepEqual(
          rows.slice(1).map((row) => [row[0], row[2], row[3]]),
          entries.map((entry) => [entry.kind, entry.email, entry.number]),
        );
      },
    );
  });

  it('keeps one entry per change when every task is delivered twice, shuffled, with a crash mid-page', async () => {
    await withDirectory(
      (orgs) => [...orgs, largeOrganisation('redelivery.example', 'C0redel01', 1100)],
      async () => {
        const tenant = await createTestTenant();
        assert.equal(await connect(tenant, { email: 'admin@redelivery.example' }), 'connected');
        await syncPaths(getApp().db, tenant.tenantId).settings.set(DEFAULT_SETTINGS);
        const runId = await runWithDelivery(tenant.tenantId, {
          duplicate: true,
          shuffle: true,
          crashAfterPublish: true,
        });
        const paths = syncPaths(getApp().db, tenant.tenantId);
        const stored = await paths.changes(runId).get();
        const extensions = await extensionsOf(tenant.tenantId);
        assert.equal(extensions.size, 1100);
        assert.equal(stored.size, 1100, 'one entry per created extension');
        const numbers = stored.docs.map((doc) => doc.data().number);
        assert.deepEqual(new Set(numbers), new Set(extensions.keys()), 'each entry names its extension');
      },
    );
  });

  it("a preview lists what it would change and writes nothing else; another tenant cannot read a run's changes", async () => {
    const tenant = await connectedTenant();
    const response = await adminApi(tenant, 'POST', '/api/sync/preview', DEFAULT_SETTINGS);
    const started = ((await response.json()) as { run: { id: string } }).run;
    const run = await waitForRun(tenant, started.id);
    assert.equal(run.dryRun, true);
    const entries = await allChanges(tenant, run.id);
    assert.ok(run.counts.created > 0);
    assert.equal(entries.filter((entry) => entry.kind === 'created').length, run.counts.created);
    assert.equal((await extensionsOf(tenant.tenantId)).size, 0, 'a preview writes no extension');
    assert.equal((await history(tenant)).find((item) => item.id === run.id)?.dryRun, true);

    const other = await connectedTenant();
    const foreign = await adminApi(other, 'GET', `/api/sync/history/${run.id}/changes`);
    assert.equal(foreign.status, 404, 'a run id of another tenant names nothing');
    const foreignCsv = await adminApi(other, 'GET', `/api/sync/history/${run.id}/changes.csv`);
    assert.equal(foreignCsv.status, 404);
    assert.equal(
      (await history(other)).some((item) => item.id === run.id),
      false,
    );
  });

  it('keeps entries 90 days by a TTL field', async () => {
    const tenant = await connectedTenant();
    const run = await saveSettings(tenant);
    await waitForRun(tenant, run.id);
    const entry = (await syncPaths(getApp().db, tenant.tenantId).changes(run.id).limit(1).get()).docs[0]?.data();
    assert.ok(entry);
    const days = (entry.expiresAt.toMillis() - Date.parse(entry.at)) / 86_400_000;
    assert.equal(Math.round(days), 90);
  });
});
