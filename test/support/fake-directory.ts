// The Directory port in memory, for unit tests: a Workspace's users, units and groups, answered as the port's
// contract says (google/directory.ts), with refusals and failures on demand and every call counted. It knows the
// port's coded errors, not Google's HTTP answers: those are the adapter's, tested against the Google stand-in,
// which stays the integration tests' Google.
import type {
  ConnectingAdmin,
  DirectoryProvider,
  DirectoryReader,
  GroupsPage,
  MembersPage,
  OrgUnitResource,
  TenantDirectory,
  UserLookup,
  UserResource,
  UsersPage,
  UsersQuery,
} from '../../functions/src/google/directory.ts';
import { DirectoryError } from '../../functions/src/google/directory-errors.ts';
import { isInUnits } from '../../functions/src/sync/settings/sources.ts';

/** A group of the fake Workspace. */
export interface FakeGroup {
  readonly email: string;
  /** User ids, nested groups' members included (members.list with derived membership). */
  readonly members: readonly string[];
  /** The whole organisation is a member. */
  readonly everyone?: boolean;
  /** Members whose membership hasMember cannot tell (a nested membership across domains). */
  readonly untellable?: readonly string[];
}

/** A method of the port. */
export type DirectoryMethod = keyof DirectoryReader | 'connectingAdmin' | 'watchUsers' | 'stopChannel';

// Page tokens are the offset of the next page.
function paged<T>(
  items: readonly T[],
  pageToken: string | undefined,
  size: number,
): { items: T[]; nextPageToken: string | undefined } {
  const from = pageToken === undefined ? 0 : Number(pageToken);
  const next = from + size;
  return { items: items.slice(from, next), nextPageToken: next < items.length ? String(next) : undefined };
}

/** An in-memory Workspace behind the Directory port. */
export class FakeDirectory implements DirectoryProvider {
  /** Users by id; a user with `deletionTime` is deleted (listed only with showDeleted, absent from users.get). */
  readonly users = new Map<string, UserResource>();
  /** Accounts of other Workspaces, which users.get refuses (403 forbidden). */
  readonly foreign = new Set<string>();
  readonly groups = new Map<string, FakeGroup>();
  readonly orgUnits = new Set<string>(['/']);
  /** Open push channels by id. */
  readonly channels = new Map<string, { readonly event: string; readonly resourceId: string }>();
  admin: ConnectingAdmin = { email: 'admin@acme.example', userKey: 'admin' };
  usersPerPage = 500;
  membersPerPage = 200;
  /** Every call, in order, as `method` or `method:argument`. */
  readonly calls: string[] = [];
  readonly #failures: Array<{
    readonly method: DirectoryMethod;
    readonly argument: string | undefined;
    readonly error: Error;
  }> = [];

  constructor() {
    this.addUser({ id: 'admin', primaryEmail: 'admin@acme.example', isAdmin: true, orgUnitPath: '/' });
  }

  /** Adds (or replaces) a user. */
  addUser(user: UserResource & { readonly id: string }): this {
    this.users.set(user.id, { orgUnitPath: '/', ...user });
    if (user.orgUnitPath) this.orgUnits.add(user.orgUnitPath);
    return this;
  }

  /** Adds (or replaces) a group. */
  addGroup(id: string, group: FakeGroup): this {
    this.groups.set(id, group);
    return this;
  }

  /** The next call of `method` (with `argument`, as `calls` records it, when given) fails with `error`. */
  failNext(method: DirectoryMethod, error: Error, argument?: string): this {
    this.#failures.push({ method, argument, error });
    return this;
  }

  /** How many calls of a method were made. */
  count(method: DirectoryMethod): number {
    return this.calls.filter((call) => call === method || call.startsWith(`${method}:`)).length;
  }

  forTenant(): TenantDirectory {
    return {
      ...this.forGrant(),
      watchUsers: async (event, channel) =>
        this.#call('watchUsers', event, () => {
          this.channels.set(channel.id, { event, resourceId: `resource-${event}` });
          return { resourceId: `resource-${event}`, expiration: channel.expiration };
        }),
      stopChannel: async (id) => this.#call('stopChannel', id, () => void this.channels.delete(id)),
      connectingAdmin: async () => this.#call('connectingAdmin', '', () => this.admin),
    };
  }

  forGrant(): DirectoryReader {
    return {
      listUsers: async (query) => this.#call('listUsers', query.orgUnitPath ?? '', () => this.#listUsers(query)),
      listMembers: async (groupId, pageToken) =>
        this.#call('listMembers', groupId, () => this.#listMembers(groupId, pageToken)),
      lookUpUser: async (userKey) => this.#call('lookUpUser', userKey, () => this.#lookUpUser(userKey)),
      hasMember: async (groupId, userKey) =>
        this.#call('hasMember', `${groupId}/${userKey}`, () => this.#hasMember(groupId, userKey)),
      listOrgUnits: async () => this.#call('listOrgUnits', '', () => this.#listOrgUnits()),
      listGroups: async (pageToken) => this.#call('listGroups', '', () => this.#listGroups(pageToken)),
    };
  }

  #call<T>(method: DirectoryMethod, argument: string, answer: () => T): T {
    this.calls.push(argument ? `${method}:${argument}` : method);
    const failure = this.#failures.findIndex(
      (entry) => entry.method === method && (entry.argument === undefined || entry.argument === argument),
    );
    if (failure >= 0) throw this.#failures.splice(failure, 1)[0]!.error;
    return answer();
  }

  #listUsers(query: UsersQuery): UsersPage {
    if (query.orgUnitPath !== undefined && query.pageToken === undefined && !this.orgUnits.has(query.orgUnitPath)) {
      throw new DirectoryError('unknown_org_unit', 400, 'the listing', undefined);
    }
    const listed = [...this.users.values()].filter(
      (user) =>
        Boolean(user.deletionTime) === query.showDeleted &&
        (query.orgUnitPath === undefined || isInUnits(user.orgUnitPath ?? '/', [{ path: query.orgUnitPath }])) &&
        (!query.activeOnly || (!user.suspended && !user.archived)),
    );
    const { items, nextPageToken } = paged(listed, query.pageToken, this.usersPerPage);
    return { users: items, nextPageToken, calls: 1, startedAt: Date.now() };
  }

  #listMembers(groupId: string, pageToken: string | undefined): MembersPage {
    const group = this.groups.get(groupId);
    if (!group) throw new DirectoryError('not_found', 404, 'the group membership listing', undefined);
    const { items, nextPageToken } = paged(group.members, pageToken, this.membersPerPage);
    const users = items.map((id) => {
      const user = this.users.get(id);
      return {
        id,
        email: user?.primaryEmail ?? `${id}@elsewhere.example`,
        status: user?.suspended ? 'SUSPENDED' : 'ACTIVE',
      };
    });
    return {
      userIds: items,
      users,
      everyone: group.everyone === true && pageToken === undefined,
      nextPageToken,
      calls: 1,
      startedAt: Date.now(),
    };
  }

  #lookUpUser(userKey: string): UserLookup {
    if (this.foreign.has(userKey))
      return { kind: 'forbidden', refusal: new DirectoryError('forbidden', 403, 'a user lookup', undefined) };
    const user =
      this.users.get(userKey) ?? [...this.users.values()].find((candidate) => candidate.primaryEmail === userKey);
    return user && !user.deletionTime ? { kind: 'found', user } : { kind: 'absent' };
  }

  #hasMember(groupId: string, userKey: string): boolean | undefined {
    const group = this.groups.get(groupId);
    if (!group || !this.users.has(userKey)) return false;
    if (group.untellable?.includes(userKey)) return undefined;
    return group.everyone === true || group.members.includes(userKey);
  }

  #listOrgUnits(): OrgUnitResource[] {
    return [...this.orgUnits]
      .filter((path) => path !== '/')
      .map((path) => ({
        orgUnitId: `id:${path}`,
        orgUnitPath: path,
        name: path.split('/').at(-1) ?? path,
        parentOrgUnitPath: path.slice(0, path.lastIndexOf('/')) || '/',
      }));
  }

  #listGroups(pageToken: string | undefined): GroupsPage {
    const { items, nextPageToken } = paged([...this.groups.entries()], pageToken, 200);
    return { groups: items.map(([id, group]) => ({ id, email: group.email, name: group.email })), nextPageToken };
  }
}
