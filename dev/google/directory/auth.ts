// Who is calling and what may they see: the bearer token, the method's OAuth scopes, and whether the caller
// administers the organisation asked about. The checks run in Google's order: credential, scope, access.
import type { Request } from 'express';
import type { FixtureStore } from '../fixture/store.ts';
import type { DirectoryUser, Organisation } from '../fixture/types.ts';
import { insufficientScopes, invalidCredentials, loginRequired, notAuthorized } from './errors.ts';
import type { DirectoryMethod } from './faults.ts';
import { stringParam } from './params.ts';

/** What the token service knows about an access token. */
export interface TokenInfo {
  /** The account the token acts for (for domain-wide delegation: the impersonated user). */
  email: string;
  /** Full scope URLs, e.g. https://www.googleapis.com/auth/admin.directory.user.readonly. */
  scopes: readonly string[];
  /** The OAuth client the token was issued to, `<project number>-<id>.apps.googleusercontent.com`. */
  clientId: string;
}

/** Looks an access token up; undefined when the token is unknown, expired or revoked. */
export type InspectToken = (accessToken: string) => Promise<TokenInfo | undefined>;

const AUTH = 'https://www.googleapis.com/auth/';

/** The scopes each method accepts, any one of which suffices (from the discovery document). */
export const METHOD_SCOPES: Readonly<Record<DirectoryMethod, readonly string[]>> = {
  'users.list': [`${AUTH}admin.directory.user`, `${AUTH}admin.directory.user.readonly`, `${AUTH}cloud-platform`],
  'users.get': [`${AUTH}admin.directory.user`, `${AUTH}admin.directory.user.readonly`],
  'groups.list': [`${AUTH}admin.directory.group`, `${AUTH}admin.directory.group.readonly`],
  'members.list': [
    `${AUTH}admin.directory.group`,
    `${AUTH}admin.directory.group.member`,
    `${AUTH}admin.directory.group.member.readonly`,
    `${AUTH}admin.directory.group.readonly`,
  ],
  'members.hasMember': [
    `${AUTH}admin.directory.group`,
    `${AUTH}admin.directory.group.member`,
    `${AUTH}admin.directory.group.member.readonly`,
    `${AUTH}admin.directory.group.readonly`,
  ],
  'orgunits.list': [`${AUTH}admin.directory.orgunit`, `${AUTH}admin.directory.orgunit.readonly`],
  'users.watch': [`${AUTH}admin.directory.user`, `${AUTH}admin.directory.user.readonly`, `${AUTH}cloud-platform`],
  'channels.stop': [
    `${AUTH}admin.directory.user`,
    `${AUTH}admin.directory.user.alias`,
    `${AUTH}admin.directory.user.alias.readonly`,
    `${AUTH}admin.directory.user.readonly`,
    `${AUTH}cloud-platform`,
  ],
};

// How Google's ErrorInfo names each method.
const RPC_METHODS: Readonly<Record<DirectoryMethod, string>> = {
  'users.list': 'ccc.hosted.frontend.directory.v1.DirectoryUsers.List',
  'users.get': 'ccc.hosted.frontend.directory.v1.DirectoryUsers.Get',
  'groups.list': 'ccc.hosted.frontend.directory.v1.DirectoryGroups.List',
  'members.list': 'ccc.hosted.frontend.directory.v1.DirectoryMembers.List',
  'members.hasMember': 'ccc.hosted.frontend.directory.v1.DirectoryMembers.HasMember',
  'orgunits.list': 'ccc.hosted.frontend.directory.v1.DirectoryOrgunits.List',
  'users.watch': 'ccc.hosted.frontend.directory.v1.DirectoryUsers.Watch',
  'channels.stop': 'ccc.hosted.frontend.directory.v1.DirectoryChannels.Stop',
};

/** An authenticated caller; `org` and `user` are set when the caller has an account in the fixture. */
export interface Caller {
  email: string;
  /** The Google Cloud project the call is billed to: that of the token's OAuth client. */
  projectNumber: string;
  org?: Organisation;
  user?: DirectoryUser;
  /** A super admin or delegated admin of `org`, with an account that is neither suspended nor deleted. */
  isAdmin: boolean;
}

function bearerToken(req: Request): string | undefined {
  const header = req.get('authorization');
  const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  if (match?.[1]) return match[1];
  return stringParam(req.query, 'access_token') ?? stringParam(req.query, 'oauth_token');
}

/** Checks credential and scope for `method`, and finds the caller's account. */
export async function authenticate(
  req: Request,
  method: DirectoryMethod,
  inspectToken: InspectToken,
  fixtures: FixtureStore,
): Promise<Caller> {
  const token = bearerToken(req);
  if (!token) throw loginRequired();
  const info = await inspectToken(token);
  if (!info) throw invalidCredentials();
  const accepted = METHOD_SCOPES[method];
  if (!info.scopes.some((scope) => accepted.includes(scope))) throw insufficientScopes(RPC_METHODS[method], accepted);
  const projectNumber = /^(\d+)-/.exec(info.clientId)?.[1] ?? '0';
  const found = fixtures.findUserAnywhere(info.email);
  if (!found || found.user.deletionTime) return { email: info.email, projectNumber, isAdmin: false };
  const { org, user } = found;
  const isAdmin = Boolean((user.isAdmin || user.isDelegatedAdmin) && !user.suspended);
  return { email: info.email, projectNumber, org, user, isAdmin };
}

/** Passes only if the caller administers `org`. */
export function requireAdminOf(caller: Caller, org: Organisation | undefined): Organisation {
  if (!org || !caller.isAdmin || caller.org?.customerId !== org.customerId) throw notAuthorized();
  return org;
}

/** Passes if the caller has a live account in `org` (enough for viewType=domain_public). */
export function requireMemberOf(caller: Caller, org: Organisation | undefined): Organisation {
  if (!org || !caller.user || caller.user.suspended || caller.org?.customerId !== org.customerId) throw notAuthorized();
  return org;
}
