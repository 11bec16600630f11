// The sources a run lists and the chains of page tasks that list them. Page tokens are sequential, so each listing
// is its own chain: the whole domain (and its deleted users) for "All Users", one users.list query per picked unit,
// and for groups first one members.list chain per group, then one chain that fetches the members' user resources.
import type { PickedGroup, PickedOrgUnit, SyncSettings } from './settings.ts';

/** A chain's name, as it appears in page ids (`{chain}:{n}`) and tasks. */
export type Chain = string;

/** What a chain lists. */
export type ChainKind =
  | { readonly kind: 'domain' }
  | { readonly kind: 'deleted' }
  | { readonly kind: 'orgUnit'; readonly index: number }
  | { readonly kind: 'group'; readonly index: number }
  /** The domain listing, keeping only the groups' members: fewest calls when the groups are large. */
  | { readonly kind: 'join' }
  /** users.get of the groups' members, in batches: fewest calls when the groups are small. */
  | { readonly kind: 'members' };

/** Chain names: fixed ones, or a kind with the index of the picked unit or group. */
export const CHAIN_PATTERN = /^(domain|deleted|join|members|ou\d{1,3}|group\d{1,3})$/;

/** Parses a chain name (already validated against CHAIN_PATTERN). */
export function chainKind(chain: Chain): ChainKind {
  if (chain.startsWith('ou')) return { kind: 'orgUnit', index: Number(chain.slice(2)) };
  if (chain.startsWith('group')) return { kind: 'group', index: Number(chain.slice(5)) };
  return { kind: chain as 'domain' | 'deleted' | 'join' | 'members' };
}

function isWithin(path: string, unit: string): boolean {
  return (
    unit === '/' || path.toLowerCase() === unit.toLowerCase() || path.toLowerCase().startsWith(`${unit.toLowerCase()}/`)
  );
}

/** Whether a user's unit path lies in one of the units (each includes its sub-units). */
export function isInUnits(path: string, units: readonly Pick<PickedOrgUnit, 'path'>[]): boolean {
  return units.some((unit) => isWithin(path, unit.path));
}

/** The indexes of the picked units that are not inside another picked one: a subtree query of the parent already
 * lists a child's users, so each user is listed (and counted) once and no call is spent twice. */
export function coveringUnits(units: readonly PickedOrgUnit[]): number[] {
  return units.flatMap((unit, index) => {
    const covered = units.some(
      (other, otherIndex) =>
        otherIndex !== index &&
        isWithin(unit.path, other.path) &&
        (other.path.toLowerCase() !== unit.path.toLowerCase() || otherIndex < index),
    );
    return covered ? [] : [index];
  });
}

/** The units whose chains a run lists: "Organizational Units", or the specific range's "Search Criteria". */
export function rangeUnits(settings: SyncSettings): readonly PickedOrgUnit[] {
  return settings.range === 'specific' ? settings.specific.orgUnits : settings.orgUnits;
}

/** The groups whose chains a run lists: "Group", or the specific range's "Search Criteria". */
export function rangeGroups(settings: SyncSettings): readonly PickedGroup[] {
  return settings.range === 'specific' ? settings.specific.groups : settings.groups;
}

/** Whether the run fetches its users in a second step, once the groups are listed: groups, and specific users. */
export function hasUserChain(settings: SyncSettings): boolean {
  return settings.range === 'groups' || settings.range === 'specific';
}

/** The chains a run starts with. Group runs add their user chain ('join' or 'members') once membership is known. */
export function firstChains(settings: SyncSettings): Chain[] {
  switch (settings.range) {
    case 'all':
      return ['domain', 'deleted'];
    case 'orgUnits':
      return coveringUnits(settings.orgUnits).map((index) => `ou${index}`);
    case 'groups':
      return settings.groups.map((_, index) => `group${index}`);
    case 'specific':
      // The assigned users are fetched by id; the criteria's groups are listed first to tell who left them (a
      // unit is told from the user's own orgUnitPath).
      return settings.specific.groups.map((_, index) => `group${index}`);
  }
}

/** Whether a chain's pages list users of the range (as opposed to deleted users or group members). */
export function listsRangeUsers(chain: Chain): boolean {
  const { kind } = chainKind(chain);
  return kind === 'domain' || kind === 'orgUnit' || kind === 'join' || kind === 'members';
}

/** The key under which a source's last size is remembered, to notice one that comes back empty. */
export function sourceKey(settings: SyncSettings, chain: Chain): string | undefined {
  const kind = chainKind(chain);
  if (kind.kind === 'domain') return 'domain';
  if (kind.kind === 'orgUnit') return `ou:${rangeUnits(settings)[kind.index]?.id}`;
  if (kind.kind === 'group') return `group:${rangeGroups(settings)[kind.index]?.id}`;
  return undefined;
}

/** How the admin knows a source. */
export function sourceName(settings: SyncSettings, chain: Chain): string {
  const kind = chainKind(chain);
  if (kind.kind === 'orgUnit') return `the organizational unit ${rangeUnits(settings)[kind.index]?.path}`;
  if (kind.kind === 'group') return `the group ${rangeGroups(settings)[kind.index]?.email}`;
  if (kind.kind === 'deleted') return 'the listing of deleted users';
  if (kind.kind === 'members') return "the group members' accounts";
  return 'the Google Workspace directory listing';
}
