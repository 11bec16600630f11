// Reads what the planner needs for one page, in three batched reads: the users' links, the e-mail keys of their
// addresses, and every extension either points to (plus the numbers a property path asks for).
import type { DocumentReference } from '@google-cloud/firestore';
import type { DirectoryUser } from './directory-user.ts';
import type { Extension } from './extension.ts';
import { extensionNumberFrom } from './extension-number.ts';
import type { SyncPaths } from './paths.ts';
import type { PageState } from './plan-page.ts';
import { gjsonGet } from './property/gjson.ts';
import type { SyncSettings } from './settings.ts';

async function readNumbers(refs: DocumentReference[]): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  if (refs.length === 0) return found;
  const snapshots = await refs[0]!.firestore.getAll(...refs);
  for (const snapshot of snapshots) {
    const number = snapshot.get('number');
    if (snapshot.exists && typeof number === 'string') found.set(snapshot.id, number);
  }
  return found;
}

/** Reads the stored state for a page of users. */
export async function readPageState(paths: SyncPaths, users: readonly DirectoryUser[], settings: SyncSettings): Promise<PageState> {
  const [links, emailKeys] = await Promise.all([
    readNumbers(users.map((user) => paths.googleLink(user.id))),
    readNumbers(users.map((user) => paths.emailKey(user.fields.email))),
  ]);
  const numbers = new Set([...links.values(), ...emailKeys.values()]);
  if (settings.numbering.mode === 'property') {
    for (const user of users) {
      const number = extensionNumberFrom(gjsonGet(user.resource, settings.numbering.path).value);
      if (number) numbers.add(number);
    }
  }
  const extensions = new Map<string, Extension>();
  const refs = [...numbers].map((number) => paths.extension(number));
  if (refs.length > 0) {
    for (const snapshot of await refs[0]!.firestore.getAll(...refs)) {
      if (snapshot.exists) extensions.set(snapshot.id, snapshot.data() as Extension);
    }
  }
  return { links, emailKeys, extensions };
}
