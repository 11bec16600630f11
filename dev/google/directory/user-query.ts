// The users.list query language (developers.google.com/admin-sdk/directory/v1/guides/search-users): clauses
// `field op value` separated by spaces and ANDed; values quoted with '...' when they hold spaces; `:` tests
// whether a text field contains the value as a word, `:prefix*` as a word prefix, `=` tests equality.
import type { DirectoryUser, Organisation } from '../fixture/types.ts';
import { invalidInput } from './errors.ts';

/** A parsed query: a user is listed when every predicate holds. */
export type UserPredicate = (user: DirectoryUser) => boolean;

interface Clause {
  field: string | undefined;
  op: '=' | ':' | undefined;
  value: string;
}

const CLAUSE = /\s*(?:([A-Za-z][\w.]*)\s*(=|:)\s*)?('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|[^\s'"]+)\s*/y;

function tokenize(query: string): Clause[] {
  const clauses: Clause[] = [];
  CLAUSE.lastIndex = 0;
  while (CLAUSE.lastIndex < query.length) {
    const at = CLAUSE.lastIndex;
    const match = CLAUSE.exec(query);
    if (!match || match.index !== at) throw invalidInput('query');
    const raw = match[3] ?? '';
    const quoted = /^['"]/.test(raw);
    const value = quoted ? raw.slice(1, -1).replace(/\\(.)/g, '$1') : raw;
    clauses.push({ field: match[1], op: match[2] as Clause['op'], value });
  }
  return clauses;
}

function words(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

// `:` on a text field: the value, as words, appears in the text; `value*` matches a word prefix.
function containsMatch(texts: readonly string[], value: string): boolean {
  const wanted = value.toLowerCase();
  if (wanted.endsWith('*')) {
    const prefix = wanted.slice(0, -1);
    return texts.some(
      (text) => text.toLowerCase().startsWith(prefix) || words(text).some((word) => word.startsWith(prefix)),
    );
  }
  const needle = words(wanted).join(' ');
  return texts.some((text) => ` ${words(text).join(' ')} `.includes(` ${needle} `));
}

function textMatch(texts: readonly string[], clause: Clause): boolean {
  if (clause.op === '=') return texts.some((text) => text.toLowerCase() === clause.value.toLowerCase());
  return containsMatch(texts, clause.value);
}

function booleanValue(clause: Clause): boolean {
  if (clause.op !== '=' || !/^(true|false)$/i.test(clause.value)) throw invalidInput('query');
  return clause.value.toLowerCase() === 'true';
}

function addresses(user: DirectoryUser): string[] {
  return [user.primaryEmail ?? '', ...(user.aliases ?? []), ...(user.nonEditableAliases ?? [])];
}

function listValues(list: unknown, key: string): string[] {
  if (!Array.isArray(list)) return [];
  return list
    .map((item: unknown) => (item && typeof item === 'object' ? (item as Record<string, unknown>)[key] : undefined))
    .filter((v): v is string => typeof v === 'string');
}

function customValues(user: DirectoryUser, schema: string, field: string): string[] {
  const value: unknown = (user.customSchemas?.[schema] as Record<string, unknown> | undefined)?.[field];
  const values = Array.isArray(value)
    ? value.map((entry: unknown) => (entry && typeof entry === 'object' ? (entry as { value?: unknown }).value : entry))
    : [value];
  return values.filter((v) => v !== undefined && v !== null).map(String);
}

function isInUnit(user: DirectoryUser, unit: string): boolean {
  const path = (user.orgUnitPath ?? '/').toLowerCase();
  const root = unit.toLowerCase().replace(/\/+$/, '');
  return root === '' || path === root || path.startsWith(`${root}/`);
}

const ORGANIZATION_FIELDS: Readonly<Record<string, string>> = {
  orgName: 'name',
  orgTitle: 'title',
  orgDepartment: 'department',
  orgDescription: 'description',
  orgCostCenter: 'costCenter',
};

function predicateOf(clause: Clause, org: Organisation, publicView: boolean): UserPredicate {
  const { field } = clause;
  if (field === undefined)
    return (user) =>
      containsMatch(
        [user.name?.givenName ?? '', user.name?.familyName ?? '', ...addresses(user)],
        clause.value.endsWith('*') ? clause.value : `${clause.value}*`,
      );
  switch (field) {
    case 'email':
      return (user) => textMatch(addresses(user), clause);
    case 'givenName':
    case 'familyName':
      return (user) => textMatch([user.name?.[field] ?? ''], clause);
    case 'name':
      return (user) => textMatch([user.name?.fullName ?? ''], clause);
    case 'isAdmin':
    case 'isDelegatedAdmin': {
      const wanted = booleanValue(clause);
      return (user) => Boolean(user[field]) === wanted;
    }
    case 'isSuspended':
    case 'isArchived': {
      const wanted = booleanValue(clause);
      const key = field === 'isSuspended' ? 'suspended' : 'archived';
      return (user) => Boolean(user[key]) === wanted;
    }
    case 'externalId':
      return (user) => textMatch(listValues(user.externalIds, 'value'), clause);
    case 'orgUnitPath': {
      // Org units are administrator data: not searchable in the domain-wide public view.
      if (clause.op !== '=' || publicView) throw invalidInput('query');
      const known = org.orgUnits.some(
        (ou) => (ou.orgUnitPath ?? '').toLowerCase() === clause.value.toLowerCase().replace(/(.)\/+$/, '$1'),
      );
      if (!known) throw invalidInput('INVALID_OU_ID');
      return (user) => isInUnit(user, clause.value);
    }
  }
  const organizationKey = ORGANIZATION_FIELDS[field];
  if (organizationKey) return (user) => textMatch(listValues(user.organizations, organizationKey), clause);
  const [schema, schemaField, extra] = field.split('.');
  if (schema && schemaField && extra === undefined)
    return (user) => textMatch(customValues(user, schema, schemaField), clause);
  throw invalidInput('query');
}

/** Parses a users.list query for an organisation; throws Google's 400 for what it cannot parse or support. */
export function parseUserQuery(query: string | undefined, org: Organisation, publicView: boolean): UserPredicate {
  if (query === undefined || query.trim() === '') return () => true;
  const predicates = tokenize(query.trim()).map((clause) => predicateOf(clause, org, publicView));
  return (user) => predicates.every((predicate) => predicate(user));
}
