// Runs after every other test file: no secret the tests used (every value ever stored in Secret Manager and
// every OAuth client secret) appears in any log of the stack or in any Firestore document.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Firestore } from '@google-cloud/firestore';
import { getApp } from '../functions/src/app.ts';
import { useStack } from './support/stack.ts';

// Every document, read a collection group at a time. Subcollections are discovered from a sample of each group's
// documents: documents of one group share their shape, and reading every document's subcollections one by one
// would take minutes.
async function allDocuments(db: Firestore): Promise<Array<{ path: string; json: string }>> {
  const found: Array<{ path: string; json: string }> = [];
  const ids = new Set((await db.listCollections()).map((collection) => collection.id));
  const queue = [...ids];
  while (queue.length > 0) {
    const snapshot = await db.collectionGroup(queue.shift()!).get();
    for (const doc of snapshot.docs) found.push({ path: doc.ref.path, json: JSON.stringify(doc.data()) });
    for (const doc of snapshot.docs.slice(0, 25)) {
      for (const sub of await doc.ref.listCollections()) {
        if (!ids.has(sub.id)) {
          ids.add(sub.id);
          queue.push(sub.id);
        }
      }
    }
  }
  return found;
}

describe('secrets stay in Secret Manager', function () {
  this.timeout(120_000);

  it('no secret value used in this run appears in a log or a Firestore document', async () => {
    const stack = await useStack();
    const clientSecrets = [...stack.google.registeredClients()].map((client) => client.client_secret ?? '');
    const secrets = [...new Set([...stack.secretManager.everStored, ...clientSecrets])].filter((value) => value.length >= 10);
    assert.ok(secrets.length > 5, `the run used secrets to look for (found ${secrets.length})`);

    const logs = readdirSync(stack.dirs.logs).map((name) => ({ name, text: readFileSync(path.join(stack.dirs.logs, name), 'utf8') }));
    assert.ok(logs.some((log) => log.name === 'functions.log' && log.text.length > 0), 'the functions wrote logs');
    const documents = await allDocuments(getApp().db);
    assert.ok(documents.length > 10, 'there are documents to scan');

    const leaks: string[] = [];
    for (const secret of secrets) {
      for (const log of logs) if (log.text.includes(secret)) leaks.push(`log ${log.name}`);
      for (const document of documents) if (document.json.includes(secret)) leaks.push(`document ${document.path}`);
    }
    assert.deepEqual(leaks, []);
  });
});
