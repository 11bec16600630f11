// Reads what the planner needs for one page in a few batched reads: the users' links, the extensions they point to
// (plus the numbers a property path asks for), the e-mail keys of the addresses not already held, and the
// extensions those keys point to.
import type { DocumentReference } from '@google-cloud/firestore';
import type { DirectoryUser } from '../../google/directory-user.ts';
import type { ExtensionKey, StoredExtension } from '../../extensions/extension.ts';
import { extensionNumberFrom } from '../../extensions/extension-number.ts';
import type { SyncPaths } from '../../tenants/paths.ts';
import type { PageState } from './plan-page.ts';
import { gjsonGet } from '../../gjson/gjson.ts';
import { getAllOf } from '../../platform/typed-documents.ts';
import type { SyncSettings } from '../settings/settings.ts';

async function readNumbers(refs: Array<DocumentReference<ExtensionKey>>): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  if (refs.length === 0) return found;
  const snapshots = await getAllOf(refs[0]!.firestore, ...refs);
  for (const snapshot of snapshots) {
    const key = snapshot.data();
    if (key) found.set(snapshot.id, key.number);
  }
  return found;
}

/** Reads the stored state for a page of users. */
export async function readPageState(
  paths: SyncPaths,
  users: readonly DirectoryUser[],
  settings: SyncSettings,
): Promise<PageState> {
  const links = await readNumbers(users.map((user) => paths.googleLink(user.id)));
  const numbers = new Set(links.values());
  if (settings.numbering.mode === 'property') {
    for (const user of users) {
      const number = extensionNumberFrom(gjsonGet(user.resource, settings.numbering.path).value);
      if (number) numbers.add(number);
    }
  }
  const extensions = await readExtensions(paths, [...numbers]);
  // A linked user whose address did not change holds its own e-mail key: only the others' keys are read, so a
  // re-sync with nothing changed reads two documents a user, not three.
  const keyed = users.filter((user) => extensions.get(links.get(user.id) ?? '')?.email !== user.fields.email);
  const emailKeys = await readNumbers(keyed.map((user) => paths.emailKey(user.fields.email)));
  const holders = [...emailKeys.values()].filter((number) => !extensions.has(number));
  for (const [number, extension] of await readExtensions(paths, holders)) extensions.set(number, extension);
  return { links, emailKeys, extensions };
}

async function readExtensions(paths: SyncPaths, numbers: readonly string[]): Promise<Map<string, StoredExtension>> {
  const extensions = new Map<string, StoredExtension>();
  if (numbers.length === 0) return extensions;
  const refs = numbers.map((number) => paths.extension(number));
  for (const snapshot of await getAllOf(refs[0]!.firestore, ...refs)) {
    const extension = snapshot.data();
    if (extension) extensions.set(snapshot.id, extension);
  }
  return extensions;
}
