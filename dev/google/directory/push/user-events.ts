// What Google would announce when the directory changes from one state to the next: per user, the events of
// users.watch (`add` a new account, `delete` an account deleted, `undelete` one restored, `makeAdmin` its admin
// status changed, `update` anything else about it changed: a rename, a suspension, an archive, a new unit).
import type { DirectoryUser, Organisation } from '../../fixture/types.ts';
import type { UserEvent } from './channels.ts';

/** One change Google announces about one user. */
export interface UserChange {
  readonly customerId: string;
  readonly event: UserEvent;
  /** The user as it is after the change (for `delete`, as it was last). */
  readonly user: DirectoryUser;
}

const isLiveUser = (user: DirectoryUser | undefined) => user !== undefined && !user.deletionTime;

// Fields whose change is not an "update" of the account itself: Google's own bookkeeping.
function comparable(user: DirectoryUser): string {
  const { etag: _etag, lastLoginTime: _login, isAdmin: _admin, ...rest } = user;
  return JSON.stringify(rest);
}

function changesOf(customerId: string, before: DirectoryUser | undefined, after: DirectoryUser | undefined) {
  const changes: UserChange[] = [];
  const add = (event: UserEvent, user: DirectoryUser) => changes.push({ customerId, event, user });
  if (!isLiveUser(before) && isLiveUser(after)) add(before ? 'undelete' : 'add', after!);
  else if (isLiveUser(before) && !isLiveUser(after)) add('delete', after ?? before!);
  else if (isLiveUser(before) && isLiveUser(after)) {
    if (Boolean(before!.isAdmin) !== Boolean(after!.isAdmin)) add('makeAdmin', after!);
    if (comparable(before!) !== comparable(after!)) add('update', after!);
  }
  return changes;
}

function usersById(org: Organisation | undefined): Map<string, DirectoryUser> {
  return new Map((org?.users ?? []).flatMap((user) => (user.id ? [[user.id, user] as const] : [])));
}

/** The changes, in the order of the users of the later state (then those that vanished). */
export function userChanges(before: readonly Organisation[], after: readonly Organisation[]): UserChange[] {
  const customers = new Set([...before, ...after].map((org) => org.customerId));
  const changes: UserChange[] = [];
  for (const customerId of customers) {
    const old = usersById(before.find((org) => org.customerId === customerId));
    const now = usersById(after.find((org) => org.customerId === customerId));
    for (const [id, user] of now) changes.push(...changesOf(customerId, old.get(id), user));
    for (const [id, user] of old) if (!now.has(id)) changes.push(...changesOf(customerId, user, undefined));
  }
  return changes;
}
