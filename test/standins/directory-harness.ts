// Shared set-up of the Directory stand-in fidelity tests: an express app on an ephemeral loopback port with
// the API at the root and the control API at /__control/directory, a fake token service, and the real
// @googleapis/admin client.
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { admin_directory_v1, auth } from '@googleapis/admin';
import express from 'express';
import {
  createDirectoryApi,
  createDirectoryControl,
  DirectoryFaults,
  type GoogleErrorBody,
  type TokenInfo,
} from '../../dev/google/directory/index.ts';
import { demoFixture, FixtureStore, type DirectoryUser, type Organisation } from '../../dev/google/fixture/index.ts';
import { createPushControl } from '../../dev/google/directory/push/control.ts';
import { DirectoryPush } from '../../dev/google/directory/push/hub.ts';

const AUTH = 'https://www.googleapis.com/auth/';
/** Every read-only Directory scope the stand-in serves. */
export const READONLY_SCOPES = [
  'admin.directory.user.readonly',
  'admin.directory.group.readonly',
  'admin.directory.group.member.readonly',
  'admin.directory.orgunit.readonly',
].map((s) => AUTH + s);

/** The OAuth client every literal token was issued to; its leading digits are the Google Cloud project number. */
export const HARNESS_CLIENT_ID = '424242424242-standinharness.apps.googleusercontent.com';

/** The literal access tokens the fake token service knows, all issued to HARNESS_CLIENT_ID. */
export const TOKENS: Readonly<Record<string, Omit<TokenInfo, 'clientId'>>> = {
  admin: { email: 'admin@acme.example', scopes: READONLY_SCOPES },
  adminByAlias: { email: 'it@acme.example', scopes: READONLY_SCOPES },
  adminUsersOnly: { email: 'admin@acme.example', scopes: [`${AUTH}admin.directory.user.readonly`] },
  adminGroupsOnly: { email: 'admin@acme.example', scopes: [`${AUTH}admin.directory.group.readonly`] },
  adminMembersOnly: { email: 'admin@acme.example', scopes: [`${AUTH}admin.directory.group.member.readonly`] },
  adminOpenIdOnly: { email: 'admin@acme.example', scopes: ['openid', 'email'] },
  delegated: { email: 'hannah.fischer@acme.example', scopes: READONLY_SCOPES },
  employee: { email: 'priya.sharma@acme.example', scopes: READONLY_SCOPES },
  suspended: { email: 'lucas.martin@acme.example', scopes: READONLY_SCOPES },
  globexAdmin: { email: 'root@globex.example', scopes: READONLY_SCOPES },
  stranger: { email: 'someone@elsewhere.example', scopes: READONLY_SCOPES },
};

/** A second, small customer, to check that one customer cannot read another. */
export function globexOrg(): Organisation {
  return {
    domain: 'globex.example',
    customerId: 'C04gl0b3x',
    users: [
      { primaryEmail: 'root@globex.example', name: { givenName: 'Gina', familyName: 'Root' }, isAdmin: true },
      { primaryEmail: 'hank.scorpio@globex.example', name: { givenName: 'Hank', familyName: 'Scorpio' } },
    ],
    groups: [{ email: 'villains@globex.example', name: 'Villains' }],
    members: { 'villains@globex.example': [{ email: 'hank.scorpio@globex.example', role: 'OWNER', type: 'USER' }] },
    orgUnits: [],
  };
}

/** A customer with `users` users (admin first) and `groups` groups, for caps and paging. */
export function bulkOrg(users: number, groups = 0): Organisation {
  const people: DirectoryUser[] = [
    { primaryEmail: 'admin@bulk.example', name: { givenName: 'Bulk', familyName: 'Admin' }, isAdmin: true },
  ];
  for (let i = 1; i < users; i++) {
    const n = String(i).padStart(5, '0');
    people.push({
      primaryEmail: `user${n}@bulk.example`,
      name: { givenName: `Given${n}`, familyName: `Family${n}` },
      orgUnitPath: i % 2 ? '/Odd' : '/',
    });
  }
  const groupList = Array.from({ length: groups }, (_, i) => ({
    email: `group${String(i).padStart(4, '0')}@bulk.example`,
    name: `Group ${i}`,
  }));
  const members = { 'big@bulk.example': people.slice(1).map((user) => ({ email: user.primaryEmail ?? '' })) };
  return {
    domain: 'bulk.example',
    customerId: 'C05bu1k00',
    users: people,
    groups: [...groupList, { email: 'big@bulk.example', name: 'Big' }],
    members,
    orgUnits: [{ orgUnitPath: '/Odd' }],
  };
}

/** Tokens of the bulk customer's admin. */
export const BULK_ADMIN_TOKEN = 'bulk-admin';

/** A running stand-in. */
export interface DirectoryHarness {
  baseUrl: string;
  fixtures: FixtureStore;
  faults: DirectoryFaults;
  push: DirectoryPush;
  /** The real client, authorised with one of TOKENS (or any literal token), retries off unless asked. */
  client(token?: string, options?: { retry?: boolean }): admin_directory_v1.Admin;
  /** Calls the control API with JSON. */
  control(method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }>;
  close(): Promise<void>;
}

/** Starts the stand-in on 127.0.0.1 with the demo organisation and Globex (or the given organisations). */
export async function startDirectory(
  orgs: Organisation[] = [...demoFixture(), globexOrg()],
): Promise<DirectoryHarness> {
  const fixtures = new FixtureStore(orgs);
  const faults = new DirectoryFaults();
  const push = new DirectoryPush({ fixtures, clock: () => faults.now(), deliver: true });
  const tokens = new Map<string, TokenInfo>(
    Object.entries(TOKENS).map(([token, info]) => [token, { ...info, clientId: HARNESS_CLIENT_ID }]),
  );
  tokens.set(BULK_ADMIN_TOKEN, { email: 'admin@bulk.example', scopes: READONLY_SCOPES, clientId: HARNESS_CLIENT_ID });
  const app = express();
  app.use('/__control/directory/push', createPushControl(push));
  app.use('/__control/directory', createDirectoryControl({ fixtures, faults, push }));
  app.use(createDirectoryApi({ fixtures, faults, push, inspectToken: async (token) => tokens.get(token) }));
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    baseUrl,
    fixtures,
    faults,
    push,
    client(token = 'admin', options = {}) {
      const oauth = new auth.OAuth2();
      oauth.setCredentials({ access_token: token });
      return new admin_directory_v1.Admin({ rootUrl: `${baseUrl}/`, auth: oauth, retry: options.retry ?? false });
    },
    async control(method, path, body) {
      const init: RequestInit =
        body === undefined
          ? { method }
          : { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
      const response = await fetch(`${baseUrl}/__control/directory${path}`, init);
      return { status: response.status, body: await response.json() };
    },
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}

interface ClientError {
  status?: number;
  response?: { status?: number; data?: unknown; headers?: unknown };
}

/** Awaits a call that must fail with `status` and `reason`; returns Google's error body. */
export async function expectGoogleError(
  call: Promise<unknown>,
  status: number,
  reason: string,
): Promise<GoogleErrorBody['error']> {
  const error: unknown = await call.then(
    () => assert.fail(`expected HTTP ${status} ${reason}, but the call succeeded`),
    (failure: unknown) => failure,
  );
  const response = (error as ClientError).response;
  assert.equal(response?.status, status, `status of ${String(error)}`);
  const body = response?.data as GoogleErrorBody;
  assert.equal(body.error.code, status);
  assert.equal(body.error.errors[0]?.reason, reason);
  return body.error;
}

/** Follows nextPageToken to the end, returning every page's response. */
export async function allPages<T extends { nextPageToken?: string | null }>(
  fetchPage: (pageToken: string | undefined) => Promise<{ data: T }>,
): Promise<T[]> {
  const pages: T[] = [];
  let token: string | undefined;
  do {
    const { data } = await fetchPage(token);
    pages.push(data);
    token = data.nextPageToken ?? undefined;
  } while (token && pages.length < 1000);
  return pages;
}
