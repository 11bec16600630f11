// Push notifications in the test stack. The stand-in delivers none unless a test turns it on (every test tenant
// watches the demo customer); a push test turns it on, ends the stand-in's channels of earlier tenants so that only
// its own tenant hears, and restores the fixture once its channels are ended too.
import type { DirectoryUser } from '../../dev/google/fixture/types.ts';
import { getApp } from '../../functions/src/app.ts';
import type { Extension } from '../../functions/src/extensions/extension.ts';
import { pushChannels, pushPaths, type PushChange } from '../../functions/src/push/push-documents.ts';
import { extensionsOf } from './sync.ts';
import { useStack } from './stack.ts';

/** Ends every channel the stand-in has open, as if each had expired at Google. */
export async function endStandInChannels(): Promise<void> {
  const { google } = await useStack();
  for (const channel of google.push.channels.all()) google.push.channels.stop(channel, google.push.now());
  await google.push.delivery.idle();
}

/** Turns the stand-in's delivery on for a suite, and off again after it, with the fixture restored. */
export function pushDeliveryOn(): void {
  before(async () => {
    await endStandInChannels();
    (await useStack()).google.push.delivery.setEnabled(true);
  });
  afterEach(async () => {
    const { google } = await useStack();
    await endStandInChannels();
    google.fixtures.reset();
    google.faults.reset();
    google.push.reset();
  });
  after(async () => {
    (await useStack()).google.push.delivery.setEnabled(false);
  });
}

/** Changes the demo organisation's users in the stand-in (a change pushes notifications to live channels). */
export async function editDemoUsers(edit: (users: DirectoryUser[]) => DirectoryUser[]): Promise<void> {
  const { google } = await useStack();
  google.fixtures.replace(
    google.fixtures.organisations.map((org) =>
      org.domain === 'acme.example' ? { ...org, users: edit(structuredClone(org.users)) } : org,
    ),
  );
}

/** Changes the demo user with this primary e-mail. */
export function editDemoUser(email: string, change: (user: DirectoryUser) => DirectoryUser): Promise<void> {
  return editDemoUsers((users) => users.map((user) => (user.primaryEmail === email ? change(user) : user)));
}

/** The demo user with this primary e-mail, as the stand-in serves it. */
export async function demoUser(email: string): Promise<DirectoryUser> {
  const { google } = await useStack();
  const user = google.fixtures.organisations[0]?.users.find((candidate) => candidate.primaryEmail === email);
  if (!user) throw new Error(`the demo has no user ${email}`);
  return user;
}

/** Polls until `probe` answers something, or fails saying what it waited for. */
export async function eventually<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The tenant's extension of a Google user, if any. */
export async function extensionOfUser(tenantId: string, userId: string): Promise<Extension | undefined> {
  return [...(await extensionsOf(tenantId)).values()].find((extension) => extension.google?.userId === userId);
}

/** The product's channel records of the tenant. */
export async function channelRecordsOf(tenantId: string) {
  const snapshot = await pushChannels(getApp().db).where('tenant', '==', tenantId).get();
  return snapshot.docs.map((doc) => ({ id: doc.id, ...doc.data() }));
}

/** The push changes the page lists for the tenant, newest first. */
export async function pushChangesOf(tenantId: string): Promise<PushChange[]> {
  const snapshot = await pushPaths(getApp().db, tenantId).changes.orderBy('at', 'desc').get();
  return snapshot.docs.map((doc) => doc.data());
}

/** The notification claims the tenant's push tasks made. */
export async function pushClaimsOf(tenantId: string): Promise<string[]> {
  return (await getApp().db.collection(`tenants/${tenantId}/pushEvents`).get()).docs.map((doc) => doc.id);
}
