// A welcome mail whose task was lost is sent by the next scheduler tick, once.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { getApp } from '../../functions/src/app.ts';
import type { WelcomeMail } from '../../functions/src/extensions/extension-writes.ts';
import { handleTick } from '../../functions/src/schedule/tick.ts';
import { syncPaths } from '../../functions/src/tenants/paths.ts';
import { useStack } from '../support/stack.ts';
import { connectedTenant } from '../support/sync.ts';

describe('welcome mails left behind', function () {
  this.timeout(60_000);

  it('are published again by the tick after a grace period, and sent once', async () => {
    const stack = await useStack();
    const tenant = await connectedTenant();
    const mails = syncPaths(getApp().db, tenant.tenantId).welcomeMails;
    const old = new Date(Date.now() - 10 * 60 * 1000).toISOString();
    const lost: WelcomeMail = {
      userId: '1',
      number: '4001',
      email: `lost-${tenant.tenantId}@acme.example`,
      firstName: 'Lost',
      runId: 'r-lost',
      status: 'pending',
      createdAt: old,
    };
    const fresh = {
      ...lost,
      userId: '2',
      number: '4002',
      email: `fresh-${tenant.tenantId}@acme.example`,
      createdAt: new Date().toISOString(),
    };
    await mails.doc('r-lost-1').set(lost);
    await mails.doc('r-lost-2').set(fresh);

    await handleTick(getApp(), {
      id: randomUUID(),
      time: new Date().toISOString(),
      type: 'google.cloud.pubsub.topic.v1.messagePublished',
      source: 'test',
      specversion: '1.0',
    });
    const deadline = Date.now() + 20_000;
    while ((await mails.doc('r-lost-1').get()).get('status') !== 'sent' && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal((await mails.doc('r-lost-1').get()).get('status'), 'sent');
    assert.equal(
      (await mails.doc('r-lost-2').get()).get('status'),
      'pending',
      'a fresh mail still has its own task coming',
    );
    const inbox = (await (await fetch(`${stack.addresses.inboxUrl}/api/email`)).json()) as Array<{
      to: Array<{ address: string }>;
    }>;
    assert.equal(inbox.filter((mail) => mail.to[0]?.address === lost.email).length, 1);
  });
});
