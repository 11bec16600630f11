// E-mail alerts to the PBX admins: one mail per condition until it clears, never one per retry or per run, a
// recovery mail when it clears, written to the outbox in the commit of the state change and sent by the tick's
// sweep, which doubles nothing when it is delivered twice.
import assert from 'node:assert/strict';
import { getApp } from '../../functions/src/app.ts';
import { alertPaths } from '../../functions/src/alerts/alerts.ts';
import { markReauthorizationRequired, readIntegration } from '../../functions/src/connect/integration.ts';
import { maintainChannels, PUSH_ALERT_AFTER_MS } from '../../functions/src/push/channels.ts';
import { DEFAULT_SETTINGS } from '../../functions/src/sync/settings/settings.ts';
import { syncPaths } from '../../functions/src/tenants/paths.ts';
import { adminApi, connect, consentAtGoogle, openCallback, startConnect } from '../support/connect-flow.ts';
import { editUsers, largeOrganisation, withDirectory } from '../support/directory.ts';
import { useStack } from '../support/stack.ts';
import { runWithDelivery } from '../support/task-harness.ts';
import { tickInProcess } from '../support/tick.ts';
import { connectedTenant, syncNow, syncWith, waitForRun } from '../support/sync.ts';
import { createTestTenant, type TestTenant } from '../support/tenants.ts';

interface InboxMail {
  readonly subject: string;
  readonly text: string;
  readonly headers: Record<string, string>;
  readonly to: Array<{ address: string }>;
}

async function alertMailsTo(tenant: TestTenant): Promise<InboxMail[]> {
  const stack = await useStack();
  const inbox = (await (await fetch(`${stack.addresses.inboxUrl}/api/email`)).json()) as InboxMail[];
  return inbox.filter((mail) => (mail.headers['message-id'] ?? '').includes(`alert-${tenant.tenantId}-`));
}

/** Ticks (twice: a sweep delivered again) until the outbox is sent, and returns the tenant's alert mails. */
async function sweptMails(tenant: TestTenant, expected: number): Promise<InboxMail[]> {
  // The sweep runs in the tick; delivered twice, it sends nothing twice.
  await tickInProcess();
  await tickInProcess();
  const deadline = Date.now() + 20_000;
  for (;;) {
    const mails = await alertMailsTo(tenant);
    const outbox = await alertPaths(getApp().db, tenant.tenantId).mails.get();
    const unsent = outbox.docs.filter((doc) => doc.data().status !== 'sent');
    if ((mails.length >= expected && unsent.length === 0) || Date.now() > deadline) return mails;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

// These tenants run only when a test asks.
const NO_SCHEDULE = { frequency: 'off', time: '00:30' } as const;

const suspendSome = (emails: readonly string[]) =>
  editUsers('acme.example', (users) =>
    users.map((user) => (emails.includes(user.primaryEmail ?? '') ? { ...user, suspended: true } : user)),
  );

describe('alerts by e-mail', function () {
  this.timeout(180_000);

  it('tells the admin who connected once of held deletions, however many runs hold them, and once when settled', async () => {
    const tenant = await connectedTenant();
    await syncWith(tenant, { deleteWhen: 'suspended', deletionLimit: 1, schedule: NO_SCHEDULE });
    await withDirectory(suspendSome(['grace.murphy@acme.example', 'zoe.williams@acme.example']), async () => {
      const held = await waitForRun(tenant, (await syncNow(tenant)).id);
      assert.equal(held.status, 'awaiting_approval');
      let mails = await sweptMails(tenant, 1);
      assert.equal(mails.length, 1, mails.map((mail) => mail.subject).join(' | '));
      assert.equal(mails[0]?.to[0]?.address, tenant.adminEmail.toLowerCase(), 'the PBX admin who connected');
      assert.equal(mails[0]?.subject, 'Teliqon Cloud PBX: 2 deletions waiting for your approval');
      assert.match(mails[0]?.text ?? '', /#\/integrations\/google/);

      const again = await waitForRun(tenant, (await syncNow(tenant)).id);
      assert.equal(again.status, 'awaiting_approval');
      mails = await sweptMails(tenant, 1);
      assert.equal(mails.length, 1, 'a second held run is the same condition');

      const discard = await adminApi(tenant, 'POST', `/api/sync/runs/${again.id}/discard`, {});
      assert.equal(discard.status, 200);
      mails = await sweptMails(tenant, 2);
      assert.deepEqual(
        mails.map((mail) => mail.subject).sort(),
        [
          'Teliqon Cloud PBX: 2 deletions waiting for your approval',
          'Teliqon Cloud PBX: held deletions settled',
        ].sort(),
      );
    });
  });

  it('alerts once when runs fail again and again, to the admins listed on the page, and recovers on success', async () => {
    await withDirectory(
      (orgs) => [...orgs, largeOrganisation('alerts.example', 'C0alert01', 1100)],
      async () => {
        const tenant = await createTestTenant();
        assert.equal(await connect(tenant, { email: 'admin@alerts.example' }), 'connected');
        const listed = await adminApi(tenant, 'PUT', '/api/alerts/recipients', {
          recipients: ['Ops@Alerts.example', 'pbx-admin@alerts.example'],
        });
        assert.equal(listed.status, 200);
        const refused = await adminApi(tenant, 'PUT', '/api/alerts/recipients', { recipients: ['not an address'] });
        assert.equal(refused.status, 400);
        assert.match(((await refused.json()) as { error: { message: string } }).error.message, /not an address/);

        await syncPaths(getApp().db, tenant.tenantId).settings.set({ ...DEFAULT_SETTINGS, schedule: NO_SCHEDULE });
        for (let i = 0; i < 2; i++) {
          const failed = await runWithDelivery(tenant.tenantId, { maxPagesPerChain: 2, duplicate: true });
          assert.equal((await syncPaths(getApp().db, tenant.tenantId).run(failed).get()).data()?.status, 'failed');
        }
        let mails = await sweptMails(tenant, 1);
        assert.equal(mails.length, 1, mails.map((mail) => mail.subject).join(' | '));
        assert.equal(mails[0]?.subject, 'Teliqon Cloud PBX: user synchronization failed');
        assert.deepEqual(mails[0]?.to.map((to) => to.address).sort(), [
          'ops@alerts.example',
          'pbx-admin@alerts.example',
        ]);
        assert.match(mails[0]?.text ?? '', /Nothing was deleted/);

        const succeeded = await runWithDelivery(tenant.tenantId, {});
        assert.equal((await syncPaths(getApp().db, tenant.tenantId).run(succeeded).get()).data()?.status, 'succeeded');
        mails = await sweptMails(tenant, 2);
        assert.equal(mails.length, 2);
        assert.ok(mails.some((mail) => mail.subject === 'Teliqon Cloud PBX: user synchronization works again'));
      },
    );
  });

  it('alerts when reauthorization is required, and recovers when the admin reauthorizes', async () => {
    const tenant = await connectedTenant();
    const integration = await readIntegration(getApp().db, tenant.tenantId);
    const problem = {
      code: 'grant_revoked' as const,
      message: 'Google no longer accepts the authorization: it was revoked. Click Reauthorize.',
      needsNewCredentials: false,
      at: new Date().toISOString(),
    };
    for (let i = 0; i < 2; i++)
      await markReauthorizationRequired(getApp().db, tenant.tenantId, integration.credentials!, problem);
    let mails = await sweptMails(tenant, 1);
    assert.equal(mails.length, 1);
    assert.equal(mails[0]?.subject, 'Teliqon Cloud PBX: Google Workspace needs to be authorized again');
    assert.match(mails[0]?.text ?? '', /it was revoked/);
    const attempt = await startConnect(tenant);
    assert.equal(
      await openCallback(await consentAtGoogle(attempt, { email: 'admin@acme.example' }), attempt.cookie),
      'connected',
    );
    mails = await sweptMails(tenant, 2);
    assert.ok(mails.some((mail) => mail.subject === 'Teliqon Cloud PBX: Google Workspace is authorized again'));
  });

  it('alerts when push channels could not be renewed for more than an hour, not before, and recovers', async () => {
    const stack = await useStack();
    const tenant = await connectedTenant();
    const start = Date.now() + 7 * 3600_000;
    const state = syncPaths(getApp().db, tenant.tenantId).tenant.collection('pushState').doc('channels');
    stack.google.faults.inject({ method: 'users.watch', status: 503, times: 1000 });
    try {
      await maintainChannels(getApp(), tenant.tenantId, start);
      assert.ok((await state.get()).get('lastError'), 'the renewal failed');
      await maintainChannels(getApp(), tenant.tenantId, start + PUSH_ALERT_AFTER_MS - 60_000);
      assert.equal((await alertPaths(getApp().db, tenant.tenantId).mails.get()).size, 0, 'not within the hour');
      await maintainChannels(getApp(), tenant.tenantId, start + PUSH_ALERT_AFTER_MS + 60_000);
      await maintainChannels(getApp(), tenant.tenantId, start + PUSH_ALERT_AFTER_MS + 120_000);
    } finally {
      stack.google.faults.reset();
    }
    let mails = await sweptMails(tenant, 1);
    assert.equal(mails.length, 1);
    assert.equal(mails[0]?.subject, 'Teliqon Cloud PBX: updates from Google have stopped');
    await maintainChannels(getApp(), tenant.tenantId, start + PUSH_ALERT_AFTER_MS + 180_000);
    mails = await sweptMails(tenant, 2);
    assert.ok(mails.some((mail) => mail.subject === 'Teliqon Cloud PBX: updates from Google arrive again'));
  });
});
