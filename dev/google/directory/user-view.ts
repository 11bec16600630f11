// What of a user a response shows: projection basic (no custom schemas), custom (the schemas named in
// customFieldMask) or full, and viewType admin_view (everything) or domain_public (the directory card).
import type { DirectoryUser } from '../fixture/types.ts';
import { enumParam, stringParam, type Query } from './params.ts';

/** How a user is presented. */
export interface UserView {
  projection: 'basic' | 'custom' | 'full';
  /** Schemas shown with projection=custom. */
  customFieldMask: readonly string[];
  /** viewType=domain_public: only the fields every user of the domain can see. */
  publicView: boolean;
}

// The fields of the domain-wide public view, as a non-administrator sees them in the directory.
const PUBLIC_FIELDS: ReadonlySet<string> = new Set([
  'kind',
  'id',
  'etag',
  'primaryEmail',
  'name',
  'emails',
  'phones',
  'addresses',
  'organizations',
  'relations',
  'websites',
  'thumbnailPhotoUrl',
  'thumbnailPhotoEtag',
]);

/** Reads projection, customFieldMask and viewType from a query (Google's defaults: basic, admin_view). */
export function userViewOf(query: Query): UserView {
  const projection = enumParam(query, 'projection', ['basic', 'custom', 'full'] as const) ?? 'basic';
  const viewType = enumParam(query, 'viewType', ['admin_view', 'domain_public'] as const) ?? 'admin_view';
  const mask = (stringParam(query, 'customFieldMask') ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  return { projection, customFieldMask: mask, publicView: viewType === 'domain_public' };
}

function customSchemasFor(user: DirectoryUser, view: UserView): DirectoryUser['customSchemas'] | undefined {
  if (!user.customSchemas || view.publicView || view.projection === 'basic') return undefined;
  if (view.projection === 'full') return user.customSchemas;
  const picked = Object.fromEntries(
    Object.entries(user.customSchemas).filter(([schema]) => view.customFieldMask.includes(schema)),
  );
  return Object.keys(picked).length > 0 ? picked : undefined;
}

/** The user as the response shows it. */
export function presentUser(user: DirectoryUser, view: UserView): DirectoryUser {
  const { customSchemas: _hidden, ...rest } = user;
  const shown: DirectoryUser = view.publicView
    ? Object.fromEntries(Object.entries(rest).filter(([key]) => PUBLIC_FIELDS.has(key)))
    : rest;
  const customSchemas = customSchemasFor(user, view);
  return customSchemas ? { ...shown, customSchemas } : shown;
}

/** Whether a user appears in the domain-wide public view at all. */
export function isPubliclyListed(user: DirectoryUser): boolean {
  return user.includeInGlobalAddressList !== false;
}
