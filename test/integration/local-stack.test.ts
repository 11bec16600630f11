// The local world end to end: Pub/Sub push into the functions under the Functions Framework, Firestore, the
// Hosting gateway with firebase.json's rewrites, and the SMTP sink.
import assert from 'node:assert/strict';
import { FUNCTIONS } from '../../functions/src/catalog.ts';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../functions/src/config.ts';
import { readHeartbeat } from '../../functions/src/schedule/heartbeat.ts';
import { SmtpMailer } from '../../functions/src/platform/mailer.ts';
import { emulatorFirestore } from '../../dev/demo/seed.ts';
import { REPO_ROOT, type stackFile } from '../../dev/stack/stack-config.ts';
import { useStack } from '../support/stack.ts';

async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('condition not reached in time');
}

describe('local stack', function () {
  this.timeout(90_000);

  it('delivers a scheduler tick through Pub/Sub push to scheduleTick, which records it in Firestore', async () => {
    const stack = await useStack();
    const db = emulatorFirestore(stack.addresses);
    try {
      const messageId = await stack.ticker.tick();
      const heartbeat = await eventually(async () => {
        const current = await readHeartbeat(db);
        return current?.lastTickId === messageId ? current : undefined;
      });
      assert.ok(Date.now() - Date.parse(heartbeat.lastTickAt) < 60_000, 'the tick time is the publish time');
    } finally {
      await db.terminate();
    }
  });

  it('serves the admin API through the gateway on the pages origin, applying the /api/** rewrite', async () => {
    const stack = await useStack();
    const response = await fetch(`${stack.addresses.publicBaseUrl}/api/health`);
    assert.equal(response.status, 200);
    const health = (await response.json()) as { status: string; mode: string };
    assert.deepEqual([health.status, health.mode], ['ok', 'local']);
    const unknown = await fetch(`${stack.addresses.publicBaseUrl}/api/nothing-here`);
    assert.equal(unknown.status, 404);
    assert.equal(((await unknown.json()) as { error: { code: string } }).error.code, 'not_found');
  });

  it('serves the PBX login page for any tenant path and static files as Hosting would', async () => {
    const stack = await useStack();
    const login = await fetch(`${stack.addresses.publicBaseUrl}/t/acme/login`);
    assert.equal(login.status, 200);
    assert.match(await login.text(), /Sign in to Teliqon Cloud PBX/);
    const page = await fetch(`${stack.addresses.publicBaseUrl}/`);
    assert.match(await page.text(), /Management Console/);
    assert.equal((await fetch(`${stack.addresses.publicBaseUrl}/no-such-page`)).status, 404);
    assert.equal((await fetch(`${stack.addresses.publicBaseUrl}/../package.json`)).status, 404);
  });

  it('has a delivery subscription with a dead-letter topic for every event function', async () => {
    const stack = await useStack();
    const [subscriptions] = await stack.pubsub.getSubscriptions();
    for (const fn of FUNCTIONS) {
      if (fn.trigger.kind !== 'topic') continue;
      const subscription = subscriptions.find((s) => s.name.endsWith(`/${fn.name}-delivery`));
      assert.ok(subscription, `${fn.name}-delivery exists`);
      const [metadata] = await subscription.getMetadata();
      assert.equal(metadata.topic?.endsWith(`/topics/${fn.trigger.topic}`), true);
      assert.match(metadata.deadLetterPolicy?.deadLetterTopic ?? '', new RegExp(`${fn.trigger.topic}-dead-letter$`));
    }
  });

  it('sends mail with the product mailer into the SMTP sink, readable in the inbox', async () => {
    const stack = await useStack();
    const mailer = new SmtpMailer(loadConfig(stack.functionsEnv));
    const to = `inbox-check-${Date.now()}@acme.example`;
    await mailer.send({ to, subject: 'Inbox check', text: 'Hello from the test' });
    const mails = (await (await fetch(`${stack.addresses.inboxUrl}/api/email`)).json()) as Array<{
      to: Array<{ address: string }>;
      subject: string;
    }>;
    assert.ok(mails.some((mail) => mail.subject === 'Inbox check' && mail.to[0]?.address === to));
  });

  it('keeps the project id and ports in stack.config.json, the one place dev, tests and infra read', async () => {
    const stack = await useStack();
    const file = JSON.parse(readFileSync(path.join(REPO_ROOT, 'stack.config.json'), 'utf8')) as typeof stackFile;
    assert.equal(stack.addresses.projectId, file.projectId);
    const offset = Number(process.env['STACK_PORT_OFFSET'] ?? 0);
    assert.equal(stack.addresses.ports.gateway, file.stacks.test.gateway + offset);
    assert.notEqual(file.stacks.test.gateway, file.stacks.start.gateway, 'tests run beside npm start');
    const ports = [...Object.values(file.stacks.test), ...Object.values(file.stacks.start)];
    assert.equal(new Set(ports).size, ports.length, 'no port is shared');
  });
});
