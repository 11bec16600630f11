// firestore.rules on the Firestore emulator through @firebase/rules-unit-testing, in a project of its own so
// the rules tests never touch the stack's data.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  assertFails,
  assertSucceeds,
  initializeTestEnvironment,
  type RulesTestEnvironment,
} from '@firebase/rules-unit-testing';
import { deleteDoc, doc, getDoc, setDoc, setLogLevel, updateDoc } from 'firebase/firestore';
import { REPO_ROOT } from '../../dev/stack/stack-config.ts';
import { useStack } from '../support/stack.ts';

const googleExtension = {
  number: '2001',
  firstName: 'Alex',
  lastName: 'Admin',
  email: 'admin@acme.example',
  mobile: '+1 628-555-0100',
  jobTitle: 'IT Administrator',
  source: 'google',
  google: { userId: '1', primaryEmail: 'admin@acme.example', orgUnitPath: '/', status: 'active' },
  voicemail: false,
};
const localExtension = {
  number: '3001',
  firstName: 'Front',
  lastName: 'Desk',
  email: 'desk@acme.example',
  source: 'local',
  jobTitle: '',
};

describe('firestore.rules', function () {
  this.timeout(60_000);
  let env: RulesTestEnvironment;

  before(async () => {
    // Denials are the expected outcome here; the SDK would log each one as an error.
    setLogLevel('silent');
    const stack = await useStack();
    const [host, port] = stack.addresses.firestoreHost.split(':');
    env = await initializeTestEnvironment({
      projectId: 'demo-teliqon-rules',
      firestore: {
        host: host!,
        port: Number(port),
        rules: readFileSync(path.join(REPO_ROOT, 'firestore.rules'), 'utf8'),
      },
    });
  });
  after(() => env?.cleanup());
  beforeEach(async () => {
    await env.clearFirestore();
    await env.withSecurityRulesDisabled(async (context) => {
      const db = context.firestore();
      await setDoc(doc(db, 'tenants/acme'), { name: 'Acme', plan: 'business' });
      await setDoc(doc(db, 'tenants/acme/integrations/google'), { status: 'connected' });
      await setDoc(doc(db, 'tenants/acme/extensions/2001'), googleExtension);
      await setDoc(doc(db, 'tenants/acme/extensions/3001'), localExtension);
      await setDoc(doc(db, 'tenants/other/extensions/4001'), { ...localExtension, number: '4001' });
      await setDoc(doc(db, 'oauthStates/abc'), { tenant: 'acme' });
      await setDoc(doc(db, 'sessions/s1'), { tenant: 'acme', extension: '2001' });
    });
  });

  const admin = () => env.authenticatedContext('admin-uid', { tenant: 'acme', role: 'admin' }).firestore();
  const user = (extension: string) =>
    env.authenticatedContext('user-uid', { tenant: 'acme', role: 'user', extension }).firestore();

  it('denies everything to a visitor who is not signed in', async () => {
    const db = env.unauthenticatedContext().firestore();
    await assertFails(getDoc(doc(db, 'tenants/acme')));
    await assertFails(getDoc(doc(db, 'tenants/acme/extensions/2001')));
  });

  it("lets an admin read its own tenant's data and nothing of another tenant", async () => {
    await assertSucceeds(getDoc(doc(admin(), 'tenants/acme')));
    await assertSucceeds(getDoc(doc(admin(), 'tenants/acme/integrations/google')));
    await assertSucceeds(getDoc(doc(admin(), 'tenants/acme/extensions/2001')));
    await assertFails(getDoc(doc(admin(), 'tenants/other/extensions/4001')));
  });

  it('lets a PBX user read only its own extension', async () => {
    await assertSucceeds(getDoc(doc(user('2001'), 'tenants/acme/extensions/2001')));
    await assertFails(getDoc(doc(user('2001'), 'tenants/acme/extensions/3001')));
    await assertFails(getDoc(doc(user('2001'), 'tenants/acme')));
    await assertFails(getDoc(doc(user('2001'), 'tenants/acme/integrations/google')));
  });

  it("holds a PBX user to its session's tenant and extension, read-only", async () => {
    await env.withSecurityRulesDisabled(async (context) => {
      await setDoc(doc(context.firestore(), 'tenants/other/extensions/2001'), { ...localExtension, number: '2001' });
    });
    await assertFails(getDoc(doc(user('2001'), 'tenants/other/extensions/2001')));
    const withoutRole = env.authenticatedContext('no-role', { tenant: 'acme', extension: '2001' }).firestore();
    await assertFails(getDoc(doc(withoutRole, 'tenants/acme/extensions/2001')));
    await assertFails(
      updateDoc(doc(user('2001'), 'tenants/acme/extensions/2001'), { updatedAt: '2026-11-25T00:00:00Z' }),
    );
  });

  it('closes OAuth state and session documents to every client, admins included', async () => {
    for (const db of [admin(), user('2001')]) {
      await assertFails(getDoc(doc(db, 'oauthStates/abc')));
      await assertFails(getDoc(doc(db, 'sessions/s1')));
      await assertFails(setDoc(doc(db, 'sessions/s2'), { tenant: 'acme', extension: '2001' }));
    }
  });

  it('never lets a client write the five Google-managed fields, source, google, number, email or any other field', async () => {
    for (const field of ['firstName', 'lastName', 'email', 'mobile', 'jobTitle', 'source', 'google', 'number']) {
      await assertFails(updateDoc(doc(admin(), 'tenants/acme/extensions/2001'), { [field]: 'changed' }));
    }
    await assertFails(updateDoc(doc(admin(), 'tenants/acme/extensions/2001'), { voicemail: true }));
    await assertSucceeds(
      updateDoc(doc(admin(), 'tenants/acme/extensions/2001'), { updatedAt: '2026-11-25T00:00:00Z' }),
    );
  });

  it('lets an admin edit the contact of a local extension, but not its number, source or email', async () => {
    await assertSucceeds(
      updateDoc(doc(admin(), 'tenants/acme/extensions/3001'), { firstName: 'Reception', jobTitle: 'Desk' }),
    );
    await assertFails(updateDoc(doc(admin(), 'tenants/acme/extensions/3001'), { source: 'google' }));
    await assertFails(updateDoc(doc(admin(), 'tenants/acme/extensions/3001'), { email: 'new@acme.example' }));
    await assertFails(updateDoc(doc(admin(), 'tenants/acme/extensions/3001'), { injected: 'field' }));
  });

  it('never lets a client create or delete an extension, least of all one with source "google"', async () => {
    await assertFails(setDoc(doc(admin(), 'tenants/acme/extensions/5001'), { ...googleExtension, number: '5001' }));
    await assertFails(setDoc(doc(admin(), 'tenants/acme/extensions/5002'), { ...localExtension, number: '5002' }));
    await assertFails(deleteDoc(doc(admin(), 'tenants/acme/extensions/2001')));
    await assertFails(deleteDoc(doc(admin(), 'tenants/acme/extensions/3001')));
  });

  it("denies writes to the tenant's other documents and anything outside tenants", async () => {
    await assertFails(setDoc(doc(admin(), 'tenants/acme/integrations/google'), { status: 'connected' }));
    await assertFails(updateDoc(doc(admin(), 'tenants/acme'), { plan: 'ultimate' }));
    await assertFails(setDoc(doc(admin(), 'anything/else'), { x: 1 }));
  });
});
