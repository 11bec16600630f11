// Decides, for each user of one Directory page, what the sync does, from the users and the stored state alone.
// Pure, so every option of SPEC §5.1 is tested without I/O. Deletions are only proposed here: they are applied by
// finalize, once the whole listing is known to be complete.
import { isAtLeast, type DirectoryUser, type UserStatus } from '../../google/directory-user.ts';
import { holdsManagedState, type ManagedState, type StoredExtension } from '../../extensions/extension.ts';
import { extensionNumberFrom } from '../../extensions/extension-number.ts';
import { gjsonGet } from '../../gjson/gjson.ts';
import type { SyncSettings } from '../settings/settings.ts';

/** The stored state the plan reads: links by Google user id, extensions by number, e-mail keys. */
export interface PageState {
  readonly links: ReadonlyMap<string, string>;
  readonly extensions: ReadonlyMap<string, StoredExtension>;
  readonly emailKeys: ReadonlyMap<string, string>;
}

/** What happens to one user. A create without a number takes the next automatic one. */
export type Decision =
  | { readonly kind: 'unchanged'; readonly userId: string; readonly number: string }
  | {
      readonly kind: 'update';
      readonly userId: string;
      readonly number: string;
      readonly state: ManagedState;
      readonly previousEmail: string;
    }
  | {
      readonly kind: 'renumber';
      readonly userId: string;
      readonly from: string;
      readonly to: string;
      readonly state: ManagedState;
      readonly previousEmail: string;
    }
  | {
      readonly kind: 'create';
      readonly userId: string;
      readonly number: string | undefined;
      readonly state: ManagedState;
    }
  | { readonly kind: 'associate'; readonly userId: string; readonly number: string; readonly state: ManagedState }
  | { readonly kind: 'skip'; readonly userId: string; readonly email: string; readonly reason: string }
  | { readonly kind: 'delete'; readonly userId: string; readonly number: string; readonly status: UserStatus }
  | { readonly kind: 'not_synced'; readonly userId: string; readonly status: UserStatus };

/** The managed fields of an extension linked to a user. */
export function managedState(user: DirectoryUser): ManagedState {
  return {
    ...user.fields,
    google: { userId: user.id, primaryEmail: user.primaryEmail, orgUnitPath: user.orgUnitPath, status: user.status },
  };
}

type NumberChoice = { readonly number: string } | { readonly reason: string };

function propertyNumber(user: DirectoryUser, path: string): NumberChoice {
  const { exists, value } = gjsonGet(user.resource, path);
  if (!exists || value === null || value === '') return { reason: `property ${path} is missing` };
  const number = extensionNumberFrom(value);
  return number
    ? { number }
    : { reason: `property ${path} value ${JSON.stringify(value)} is not a valid extension number` };
}

/** Plans one page. */
export function planPage(users: readonly DirectoryUser[], settings: SyncSettings, state: PageState): Decision[] {
  // Numbers and e-mails handed out earlier in this page count as taken for the users after them.
  const claimedNumbers = new Map<string, string>();
  const claimedEmails = new Map<string, string>();
  const numberOwner = (number: string) =>
    claimedNumbers.get(number) ??
    state.extensions.get(number)?.google?.userId ??
    (state.extensions.has(number) ? '' : undefined);
  const emailOwner = (email: string) => claimedEmails.get(email) ?? state.emailKeys.get(email);

  return users.map((user): Decision => {
    const linked = state.links.get(user.id);
    if (isAtLeast(user.status, settings.deleteWhen)) {
      return linked
        ? { kind: 'delete', userId: user.id, number: linked, status: user.status }
        : { kind: 'not_synced', userId: user.id, status: user.status };
    }
    // Specific Users are linked only by the admin's assignment: a sync never creates nor associates one.
    if (!linked && settings.range === 'specific') return { kind: 'not_synced', userId: user.id, status: user.status };
    const desired = managedState(user);
    const email = desired.email;
    const choice: NumberChoice | undefined =
      settings.numbering.mode === 'property' ? propertyNumber(user, settings.numbering.path) : undefined;
    if (choice && 'reason' in choice && !linked) return { kind: 'skip', userId: user.id, email, reason: choice.reason };

    const emailHolder = emailOwner(email);
    if (linked) {
      const current = state.extensions.get(linked);
      const previousEmail = current?.email ?? email;
      if (emailHolder !== undefined && emailHolder !== linked) {
        return { kind: 'skip', userId: user.id, email, reason: `email already used by extension ${emailHolder}` };
      }
      claimedEmails.set(email, linked);
      const target = choice && 'number' in choice ? choice.number : linked;
      if (target !== linked) {
        const owner = numberOwner(target);
        if (owner !== undefined && owner !== user.id) {
          return {
            kind: 'skip',
            userId: user.id,
            email,
            reason: `extension ${target} is already used by another extension`,
          };
        }
        claimedNumbers.set(target, user.id);
        return { kind: 'renumber', userId: user.id, from: linked, to: target, state: desired, previousEmail };
      }
      if (current && holdsManagedState(current, desired)) return { kind: 'unchanged', userId: user.id, number: linked };
      return { kind: 'update', userId: user.id, number: linked, state: desired, previousEmail };
    }

    if (emailHolder !== undefined) {
      const holder = state.extensions.get(emailHolder);
      const canAssociate = settings.autoAssociate && holder?.source === 'local' && !claimedNumbers.has(emailHolder);
      if (!canAssociate)
        return { kind: 'skip', userId: user.id, email, reason: `email already used by extension ${emailHolder}` };
      claimedNumbers.set(emailHolder, user.id);
      claimedEmails.set(email, emailHolder);
      return { kind: 'associate', userId: user.id, number: emailHolder, state: desired };
    }
    claimedEmails.set(email, user.id);
    if (choice && 'number' in choice) {
      const owner = numberOwner(choice.number);
      if (owner !== undefined)
        return {
          kind: 'skip',
          userId: user.id,
          email,
          reason: `extension ${choice.number} is already used by another extension`,
        };
      claimedNumbers.set(choice.number, user.id);
      return { kind: 'create', userId: user.id, number: choice.number, state: desired };
    }
    return { kind: 'create', userId: user.id, number: undefined, state: desired };
  });
}
