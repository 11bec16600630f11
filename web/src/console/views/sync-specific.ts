// "Specific Users": "Search Criteria" (groups and units in one native multi-select), "Search Users" with a paged list
// of checkboxes, "Synchronize to PBX", and the "synced list" tab where each user gets an existing extension from a
// native select. The assignments are sent with the form's "Save"; a user with no extension is shown as pending.
import type {
  GroupChoice,
  OrgUnitChoice,
  SearchCriteria,
  SyncSettings,
} from '../../../../functions/src/sync/settings/settings.ts';
import type {
  FoundUser,
  OfferedExtension,
  SyncedListUser,
} from '../../../../functions/src/sync/console/specific-types.ts';
import type { Api } from '../api.ts';
import { byId, messageOf } from '../dom.ts';

interface SyncedList {
  readonly users: SyncedListUser[];
  readonly extensions: OfferedExtension[];
}

function cell(content: string | Node): HTMLTableCellElement {
  const td = document.createElement('td');
  td.append(content);
  return td;
}

/** The Specific Users part of the form. */
export function setUpSpecific(api: Api, showError: (message: string) => void) {
  let saved: SearchCriteria = { orgUnits: [], groups: [] };
  let loaded = false;
  let list: SyncedList = { users: [], extensions: [] };
  // Page tokens of the pages shown so far: "Previous page" goes back one.
  let tokens: Array<string | undefined> = [];
  // Users checked on any page of the result: moving between pages keeps them checked.
  const checked = new Set<string>();
  const criteria = byId<HTMLSelectElement>('sync-criteria');

  function showTab(tab: 'search' | 'synced'): void {
    byId('sync-search-panel').hidden = tab !== 'search';
    byId('sync-synced-panel').hidden = tab !== 'synced';
    byId('sync-tab-search').setAttribute('aria-selected', String(tab === 'search'));
    byId('sync-tab-synced').setAttribute('aria-selected', String(tab === 'synced'));
  }

  async function loadCriteria(): Promise<void> {
    if (loaded) return;
    const [{ groups }, { orgUnits }] = await Promise.all([
      api.get<{ groups: GroupChoice[] }>('/api/google/groups'),
      api.get<{ orgUnits: OrgUnitChoice[] }>('/api/google/org-units'),
    ]);
    const pickedGroups = new Set(saved.groups.map((group) => group.id));
    const pickedUnits = new Set(saved.orgUnits.map((unit) => unit.id));
    // A saved criterion Google no longer offers stays listed and selected, so nothing is dropped silently.
    const goneGroups = saved.groups.filter((group) => !groups.some((choice) => choice.id === group.id));
    const goneUnits = saved.orgUnits.filter((unit) => !orgUnits.some((choice) => choice.id === unit.id));
    const gone = ' (no longer in Google Workspace)';
    byId('sync-criteria-groups').replaceChildren(
      ...groups.map((group) =>
        optionOf(
          `${group.name} (${group.email})`,
          `group:${group.id}`,
          { email: group.email, name: group.name },
          pickedGroups.has(group.id),
        ),
      ),
      ...goneGroups.map((group) =>
        optionOf(
          `${group.name} (${group.email})${gone}`,
          `group:${group.id}`,
          { email: group.email, name: group.name },
          true,
        ),
      ),
    );
    byId('sync-criteria-units').replaceChildren(
      ...orgUnits.map((unit) =>
        optionOf(
          unit.path === '/' ? `/ (${unit.name})` : unit.path,
          `ou:${unit.id}`,
          { path: unit.path },
          pickedUnits.has(unit.id),
        ),
      ),
      ...goneUnits.map((unit) => optionOf(`${unit.path}${gone}`, `ou:${unit.id}`, { path: unit.path }, true)),
    );
    loaded = true;
  }

  function optionOf(text: string, value: string, data: Record<string, string>, selected: boolean): HTMLOptionElement {
    const element = new Option(text, value, false, selected);
    Object.assign(element.dataset, data);
    return element;
  }

  function read(): SearchCriteria {
    if (!loaded) return saved;
    const picked = [...criteria.selectedOptions];
    return {
      groups: picked
        .filter((item) => item.value.startsWith('group:'))
        .map((item) => ({
          id: item.value.slice(6),
          email: item.dataset['email'] ?? '',
          name: item.dataset['name'] ?? '',
        })),
      orgUnits: picked
        .filter((item) => item.value.startsWith('ou:'))
        .map((item) => ({ id: item.value.slice(3), path: item.dataset['path'] ?? '' })),
    };
  }

  async function searchPage(pageToken: string | undefined): Promise<void> {
    const result = await api.post<{ users: FoundUser[]; nextPageToken: string | null; total: number }>(
      '/api/google/users/search',
      { ...read(), ...(pageToken && { pageToken }) },
    );
    const rows = result.users.map((user) => {
      const box = Object.assign(document.createElement('input'), {
        type: 'checkbox',
        value: user.id,
        checked: checked.has(user.id),
      });
      box.setAttribute('aria-label', `Select ${user.primaryEmail}`);
      box.addEventListener('change', () => {
        if (box.checked) checked.add(user.id);
        else checked.delete(user.id);
        updateSyncButton();
      });
      const row = document.createElement('tr');
      row.append(cell(box), cell(user.name), cell(user.primaryEmail), cell(user.orgUnitPath));
      return row;
    });
    byId('sync-search-results').replaceChildren(...rows);
    byId('sync-search-table').hidden = rows.length === 0;
    byId('sync-search-status').textContent = `${result.total} users found.`;
    byId('sync-search-next').hidden = result.nextPageToken === null;
    byId('sync-search-next').dataset['token'] = result.nextPageToken ?? '';
    byId('sync-search-prev').hidden = tokens.length <= 1;
    updateSyncButton();
    showTab('search');
  }

  function updateSyncButton(): void {
    byId<HTMLButtonElement>('sync-to-pbx').disabled = checked.size === 0;
  }

  function renderList(next: SyncedList): void {
    list = next;
    const rows = list.users.map((user) => {
      const choice = document.createElement('select');
      choice.setAttribute('aria-label', `Extension for ${user.primaryEmail}`);
      choice.dataset['userId'] = user.userId;
      choice.dataset['number'] = user.number ?? '';
      const current = user.number ?? user.suggested ?? '';
      choice.append(new Option('No extension', '', false, current === ''));
      if (user.number) choice.append(new Option(user.number, user.number, false, true));
      for (const extension of list.extensions) {
        choice.append(
          new Option(
            `${extension.number} ${extension.name} (${extension.email})`.replace(/\s+/g, ' '),
            extension.number,
            false,
            extension.number === current && !user.number,
          ),
        );
      }
      const row = document.createElement('tr');
      row.append(
        cell(user.name),
        cell(user.primaryEmail),
        cell(user.orgUnitPath),
        cell(choice),
        cell(user.number ? 'Synced' : 'Pending'),
      );
      return row;
    });
    byId('sync-synced-users').replaceChildren(...rows);
    const linked = list.users.filter((user) => user.number).length;
    byId('sync-synced-status').textContent =
      `${list.users.length} users on the synced list, ${linked} with an extension, ${list.users.length - linked} pending.`;
  }

  const report = (work: () => Promise<void>) => () =>
    void work().catch((error: unknown) => showError(messageOf(error)));
  byId('sync-tab-search').addEventListener('click', () => showTab('search'));
  byId('sync-tab-synced').addEventListener('click', () => showTab('synced'));
  byId('sync-search').addEventListener(
    'click',
    report(async () => {
      tokens = [undefined];
      checked.clear();
      await searchPage(undefined);
    }),
  );
  byId('sync-search-next').addEventListener(
    'click',
    report(async () => {
      const token = byId('sync-search-next').dataset['token'] || undefined;
      tokens.push(token);
      await searchPage(token);
    }),
  );
  byId('sync-search-prev').addEventListener(
    'click',
    report(async () => {
      tokens.pop();
      await searchPage(tokens[tokens.length - 1]);
    }),
  );
  byId('sync-to-pbx').addEventListener(
    'click',
    report(async () => {
      const result = await api.post<SyncedList & { refused: string[] }>('/api/sync/specific-users', {
        userIds: [...checked],
      });
      checked.clear();
      for (const box of byId('sync-search-results').querySelectorAll<HTMLInputElement>('input:checked'))
        box.checked = false;
      updateSyncButton();
      renderList(result);
      if (result.refused.length > 0) showError(result.refused.join(' '));
      showTab('synced');
    }),
  );

  return {
    read,
    /** Fills the criteria from saved settings. */
    fill(settings: SyncSettings): void {
      saved = settings.specific;
      loaded = false;
    },
    /** Loads the criteria's choices and the synced list the first time the range is shown. */
    async show(): Promise<void> {
      await loadCriteria();
      renderList(await api.get<SyncedList>('/api/sync/specific-users'));
    },
    /** Sends the changed assignments of the synced list; returns the refusals, one message each. */
    async saveAssignments(): Promise<string[]> {
      const assignments: Record<string, string | null> = {};
      for (const choice of byId('sync-synced-users').querySelectorAll<HTMLSelectElement>('select')) {
        if (choice.value !== (choice.dataset['number'] ?? ''))
          assignments[choice.dataset['userId'] ?? ''] = choice.value === '' ? null : choice.value;
      }
      if (Object.keys(assignments).length === 0) return [];
      const result = await api.put<SyncedList & { errors: string[] }>('/api/sync/specific-users/assignments', {
        assignments,
      });
      renderList(result);
      return result.errors;
    },
  };
}
