// "User Range For Extension Auto Creation" with its pickers: "Organizational Units" (from orgunits.list) and "Group"
// (from groups.list), each a native multi-select, and "Auto delete the Extensions no longer in sync", shown for the
// ranges it applies to. A saved pick Google no longer offers stays listed and selected, so nothing is dropped silently.
import type {
  GroupChoice,
  OrgUnitChoice,
  PickedGroup,
  PickedOrgUnit,
  SyncSettings,
} from '../../../../functions/src/sync/settings/settings.ts';
import type { Api } from '../api.ts';
import { byId } from '../dom.ts';
import type { setUpSpecific } from './sync-specific.ts';

type RangeFields = Pick<SyncSettings, 'range' | 'orgUnits' | 'groups' | 'specific' | 'autoDelete'>;

const select = (id: string) => byId<HTMLSelectElement>(id);

function option(value: string, text: string, data: Record<string, string>, selected: boolean): HTMLOptionElement {
  const element = new Option(text, value, false, selected);
  Object.assign(element.dataset, data);
  return element;
}

/** The range part of the form. */
export function setUpRange(api: Api, specific: ReturnType<typeof setUpSpecific>) {
  let saved: RangeFields = {
    range: 'all',
    orgUnits: [],
    groups: [],
    specific: { orgUnits: [], groups: [] },
    autoDelete: false,
  };
  const loaded = { orgUnits: false, groups: false };

  async function loadUnits(): Promise<void> {
    if (loaded.orgUnits) return;
    const { orgUnits } = await api.get<{ orgUnits: OrgUnitChoice[] }>('/api/google/org-units');
    const picked = new Set(saved.orgUnits.map((unit) => unit.id));
    const gone = saved.orgUnits.filter((unit) => !orgUnits.some((choice) => choice.id === unit.id));
    select('sync-org-units').replaceChildren(
      ...orgUnits.map((unit) =>
        option(unit.id, unit.path === '/' ? `/ (${unit.name})` : unit.path, { path: unit.path }, picked.has(unit.id)),
      ),
      ...gone.map((unit) => option(unit.id, `${unit.path} (no longer in Google Workspace)`, { path: unit.path }, true)),
    );
    loaded.orgUnits = true;
  }

  async function loadGroups(): Promise<void> {
    if (loaded.groups) return;
    const { groups } = await api.get<{ groups: GroupChoice[] }>('/api/google/groups');
    const picked = new Set(saved.groups.map((group) => group.id));
    const gone = saved.groups.filter((group) => !groups.some((choice) => choice.id === group.id));
    select('sync-groups').replaceChildren(
      ...groups.map((group) =>
        option(
          group.id,
          `${group.name} (${group.email})`,
          { email: group.email, name: group.name },
          picked.has(group.id),
        ),
      ),
      ...gone.map((group) =>
        option(
          group.id,
          `${group.name} (${group.email}, no longer in Google Workspace)`,
          { email: group.email, name: group.name },
          true,
        ),
      ),
    );
    loaded.groups = true;
  }

  /** Shows the fields of the chosen range, loading its picker's choices the first time. */
  async function showRange(): Promise<void> {
    const range = select('sync-range').value;
    byId('sync-org-units-row').hidden = range !== 'orgUnits';
    byId('sync-groups-row').hidden = range !== 'groups';
    byId('sync-specific-row').hidden = range !== 'specific';
    // "User's Extension Number" does not apply: Specific Users get the extensions the admin assigns.
    byId('sync-numbering-row').hidden = range === 'specific';
    byId('sync-multi-hint').hidden = range === 'all';
    byId('sync-auto-delete-row').hidden = range === 'all';
    if (range === 'orgUnits') await loadUnits();
    if (range === 'groups') await loadGroups();
    if (range === 'specific') await specific.show();
  }

  const picked = (id: string) => [...select(id).selectedOptions];

  return {
    showRange,
    /** Fills the range fields from saved settings. */
    async fill(settings: SyncSettings): Promise<void> {
      saved = settings;
      specific.fill(settings);
      loaded.orgUnits = loaded.groups = false;
      select('sync-org-units').replaceChildren();
      select('sync-groups').replaceChildren();
      select('sync-range').value = settings.range;
      byId<HTMLInputElement>('sync-auto-delete').checked = settings.autoDelete;
      await showRange();
    },
    /** The range fields as the admin set them; a picker not loaded yet keeps the saved picks. */
    read(): RangeFields {
      const orgUnits: PickedOrgUnit[] = loaded.orgUnits
        ? picked('sync-org-units').map((unit) => ({ id: unit.value, path: unit.dataset['path'] ?? '' }))
        : [...saved.orgUnits];
      const groups: PickedGroup[] = loaded.groups
        ? picked('sync-groups').map((group) => ({
            id: group.value,
            email: group.dataset['email'] ?? '',
            name: group.dataset['name'] ?? '',
          }))
        : [...saved.groups];
      return {
        range: select('sync-range').value as SyncSettings['range'],
        orgUnits,
        groups,
        specific: specific.read(),
        autoDelete: byId<HTMLInputElement>('sync-auto-delete').checked,
      };
    },
  };
}

/** Whether a change of settings changes who is synced or what is removed: then "Save" previews it first. */
export function changesWhoIsSynced(before: SyncSettings, after: SyncSettings): boolean {
  const ids = (items: readonly { id: string }[]) =>
    items
      .map((item) => item.id)
      .sort()
      .join(' ');
  if (before.range !== after.range || before.deleteWhen !== after.deleteWhen) return true;
  if (after.range !== 'all' && before.autoDelete !== after.autoDelete) return true;
  if (after.range === 'orgUnits' && ids(before.orgUnits) !== ids(after.orgUnits)) return true;
  if (
    after.range === 'specific' &&
    ids([...before.specific.orgUnits, ...before.specific.groups]) !==
      ids([...after.specific.orgUnits, ...after.specific.groups])
  )
    return true;
  return after.range === 'groups' && ids(before.groups) !== ids(after.groups);
}
