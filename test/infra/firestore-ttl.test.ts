// firestore.indexes.json: firebase-tools accepts it, and it keeps the TTL policies the deploy plan sets, so a later
// `firebase deploy --only firestore` agrees with `gcloud firestore fields ttls update` instead of fighting it.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { buildPlan } from '../../infra/plan/build-plan.ts';
import { loadFirebaseJson } from '../../infra/plan/firebase-json.ts';

const require = createRequire(import.meta.url);
const firebaseToolsRoot = path.dirname(require.resolve('firebase-tools/package.json'));
const { FirestoreApi } = require(path.join(firebaseToolsRoot, 'lib/firestore/api.js')) as {
  FirestoreApi: new () => { validateSpec(spec: unknown): void };
};
const indexes = JSON.parse(readFileSync(new URL('../../firestore.indexes.json', import.meta.url), 'utf8')) as {
  fieldOverrides: { collectionGroup: string; fieldPath: string; ttl?: boolean; indexes: unknown[] }[];
};

describe('firestore.indexes.json', () => {
  it("passes firebase-tools' own validation", () => {
    assert.doesNotThrow(() => new FirestoreApi().validateSpec(indexes));
  });

  it('has a TTL on exactly the fields the deploy plan sets one on, with no index on them', () => {
    const ttl = indexes.fieldOverrides.filter((field) => field.ttl === true);
    const planned = buildPlan({
      projectId: 'demo-x',
      region: 'europe-west1',
      publicBaseUrl: 'https://demo-x.web.app',
      firebaseJson: loadFirebaseJson(),
    })
      .flatMap((section) => section.steps)
      .flatMap((step) =>
        step.kind === 'command' && step.argv.slice(1, 4).join(' ') === 'firestore fields ttls' ? [step.argv] : [],
      )
      .map((argv) => `${argv.find((arg) => arg.startsWith('--collection-group='))?.split('=')[1]}.${argv[5]}`);
    assert.deepEqual(
      ttl.map((field) => `${field.collectionGroup}.${field.fieldPath}`),
      planned,
    );
    assert.deepEqual(planned, [
      'oauthStates.expiresAt',
      'sessions.expiresAt',
      'pushEvents.expiresAt',
      'pushChanges.expiresAt',
      'changes.expiresAt',
    ]);
    // Monotonic timestamps make hot index ranges, and nothing queries by expiry.
    for (const field of ttl) assert.deepEqual(field.indexes, []);
  });
});
