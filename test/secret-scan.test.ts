// Runs after every other test file, over everything the run produced:
// - no secret the tests used (every value ever stored in Secret Manager, every OAuth client secret, every token
//   and authorization code Google issued) appears in the run's own output, the output of the programs it ran,
//   any log of the stack, or any Firestore document. The one expected exception is the demo client secret on
//   npm start's "Google OAuth client:" line, which a developer pastes into the connect form;
// - every line the functions wrote is a structured entry Cloud Logging reads, and a task's lines name its tenant
//   and run.
// Only mocha's closing summary and failure report are printed after this test.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Firestore } from '@google-cloud/firestore';
import { getApp } from '../functions/src/app.ts';
import { runOutput } from './support/output.ts';
import { findLeaks } from './support/secret-leaks.ts';
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

describe('at the end of the run', function () {
  this.timeout(120_000);

  it('no secret value used in this run appears in its output, a log or a Firestore document', async () => {
    const stack = await useStack();
    const clientSecrets = [...stack.google.registeredClients()].map((client) => client.client_secret ?? '');
    const issued = [...stack.google.issuedCredentials()];
    assert.ok(issued.length > 20, `Google issued tokens and codes to look for (found ${issued.length})`);
    const secrets = [...new Set([...stack.secretManager.everStored, ...clientSecrets, ...issued])].filter(
      (value) => value.length >= 10,
    );

    const output = runOutput();
    assert.ok(output[0]!.text.includes('✔'), "the run's own report was recorded");
    const logs = readdirSync(stack.dirs.logs).map((name) => ({
      source: `log ${name}`,
      text: readFileSync(path.join(stack.dirs.logs, name), 'utf8'),
    }));
    assert.ok(
      logs.some((log) => log.source === 'log functions.log' && log.text.length > 0),
      'the functions wrote logs',
    );
    const documents = (await allDocuments(getApp().db)).map((document) => ({
      source: `document ${document.path}`,
      text: document.json,
    }));
    assert.ok(documents.length > 10, 'there are documents to scan');

    const banner = `Google OAuth client: ${stack.demo.oauthClientId} / ${stack.demo.oauthClientSecret}`;
    assert.deepEqual(
      findLeaks(secrets, [...output, ...logs, ...documents], [{ source: 'npm start', line: banner }]),
      [],
    );
  });

  it("every line the functions wrote is a JSON entry with severity and message, and a task's lines name its tenant and run", async () => {
    const stack = await useStack();
    const lines = ['functions.log', 'tasks.log'].flatMap((name) =>
      readFileSync(path.join(stack.dirs.logs, name), 'utf8')
        .split('\n')
        .filter((line) => line.length > 0)
        .map((line) => ({ name, line })),
    );
    const unstructured = lines
      .filter(({ line }) => !isEntry(line))
      .map(({ name, line }) => `${name}: ${line.slice(0, 120)}`);
    assert.deepEqual(unstructured, []);

    const entries = lines.map(({ line }) => JSON.parse(line) as Record<string, unknown>);
    const syncTasks = entries.filter((entry) => entry['task'] === 'syncPage' || entry['task'] === 'syncFinalize');
    assert.ok(syncTasks.length > 20, `sync tasks logged (${syncTasks.length} lines)`);
    assert.deepEqual(
      syncTasks.filter((entry) => typeof entry['tenant'] !== 'string' || typeof entry['runId'] !== 'string'),
      [],
    );
    const mailLines = entries.filter((entry) => entry['task'] === 'welcomeMail');
    assert.deepEqual(
      mailLines.filter((entry) => typeof entry['tenant'] !== 'string'),
      [],
    );
  });
});

const SEVERITIES = new Set(['DEBUG', 'INFO', 'WARNING', 'ERROR']);

function isEntry(line: string): boolean {
  try {
    const entry = JSON.parse(line) as Record<string, unknown>;
    return (
      SEVERITIES.has(entry['severity'] as string) && typeof entry['message'] === 'string' && entry['message'].length > 0
    );
  } catch {
    return false;
  }
}
