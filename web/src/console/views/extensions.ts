// "Extension and Trunk" → "Extension": the tenant's extensions, with Add Extension, Edit and Delete. A
// Google-managed extension shows the "G" icon; its five fields are read-only and it cannot be deleted. The API
// enforces the same rules; the page only saves the admin a refused request.
import type { ExtensionView } from '../../../../functions/src/extensions/extension-directory.ts';
import type { Api } from '../api.ts';
import { announce, byId, escapeHtml } from '../dom.ts';

/** One extension as GET /api/extensions lists it. */
export type ExtensionRow = ExtensionView;

type Field = 'firstName' | 'lastName' | 'email' | 'mobile' | 'jobTitle';

const INPUTS: Readonly<Record<Field, string>> = {
  firstName: 'extension-first-name',
  lastName: 'extension-last-name',
  email: 'extension-email',
  mobile: 'extension-mobile',
  jobTitle: 'extension-job-title',
};

const G_ICON = '<span class="g-icon" role="img" aria-label="Managed by Google">G</span>';

function rowHtml(row: ExtensionRow): string {
  const managed = row.source === 'google';
  const number = escapeHtml(row.number);
  const cells = [row.number, row.firstName, row.lastName].map((text) => `<td>${escapeHtml(text)}</td>`).join('');
  const remove = managed
    ? `<button type="button" disabled title="Managed by Google Workspace: it cannot be deleted" aria-label="Delete extension ${number}">Delete</button>`
    : `<button type="button" data-delete="${number}" aria-label="Delete extension ${number}">Delete</button>`;
  return (
    `<tr>${cells}<td>${escapeHtml(row.email)}${managed ? ` ${G_ICON}` : ''}</td>` +
    `<td>${escapeHtml(row.mobile)}</td><td>${escapeHtml(row.jobTitle)}</td>` +
    `<td><button type="button" data-edit="${number}" aria-label="Edit extension ${number}">Edit</button> ${remove}</td></tr>`
  );
}

function setUpExtensions(api: Api) {
  const dialog = byId<HTMLDialogElement>('extension-dialog');
  const deleteDialog = byId<HTMLDialogElement>('extension-delete-dialog');
  const input = (field: Field) => byId<HTMLInputElement>(INPUTS[field]);
  let rows: readonly ExtensionRow[] = [];
  // The extension being edited, or undefined while adding one.
  let editing: ExtensionRow | undefined;
  let deleting: ExtensionRow | undefined;

  async function refresh(): Promise<void> {
    rows = (await api.get<{ extensions: ExtensionRow[] }>('/api/extensions')).extensions;
    byId('extensions-rows').innerHTML =
      rows.length > 0 ? rows.map(rowHtml).join('') : '<tr><td colspan="7">No extensions yet.</td></tr>';
  }

  function openDialog(row: ExtensionRow | undefined): void {
    editing = row;
    dialog.replaceChildren(byId<HTMLTemplateElement>('extension-form-template').content.cloneNode(true));
    const managed = row?.source === 'google';
    byId('extension-dialog-title').textContent = row ? `Edit Extension ${row.number}` : 'Add Extension';
    byId('extension-managed-note').hidden = !managed;
    byId<HTMLInputElement>('extension-number').value = row?.number ?? '';
    byId<HTMLInputElement>('extension-number').readOnly = row !== undefined;
    for (const field of Object.keys(INPUTS) as Field[]) {
      input(field).value = row?.[field] ?? '';
      input(field).disabled = managed;
    }
    byId('extension-save').hidden = managed;
    byId('extension-cancel').addEventListener('click', () => dialog.close());
    byId<HTMLFormElement>('extension-form').addEventListener('submit', save);
    dialog.showModal();
  }

  async function save(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const fields = Object.fromEntries((Object.keys(INPUTS) as Field[]).map((field) => [field, input(field).value]));
    const button = byId<HTMLButtonElement>('extension-save');
    button.disabled = true;
    let saved: { extension: ExtensionRow };
    try {
      saved = editing
        ? await api.patch<{ extension: ExtensionRow }>(`/api/extensions/${encodeURIComponent(editing.number)}`, fields)
        : await api.post<{ extension: ExtensionRow }>('/api/extensions', {
            number: byId<HTMLInputElement>('extension-number').value.trim(),
            ...fields,
          });
    } catch (error) {
      byId('extension-error').textContent = (error as Error).message;
      button.disabled = false;
      return;
    }
    dialog.close();
    announce(`Extension ${saved.extension.number} is saved.`);
    await reload();
  }

  // After a change the dialog is gone, so a failed reload is told in the page's status line.
  async function reload(): Promise<void> {
    await refresh().catch((error: unknown) => announce((error as Error).message, 'error'));
  }

  // The form leaves with the dialog, so a closed dialog holds no labelled fields (see index.html).
  dialog.addEventListener('close', () => dialog.replaceChildren());
  byId('extension-add').addEventListener('click', () => openDialog(undefined));
  byId('extension-delete-cancel').addEventListener('click', () => deleteDialog.close());
  byId('extensions-rows').addEventListener('click', (event) => {
    const button = (event.target as HTMLElement).closest<HTMLButtonElement>('button[data-edit], button[data-delete]');
    const number = button?.dataset['edit'] ?? button?.dataset['delete'];
    const row = rows.find((candidate) => candidate.number === number);
    if (!button || !row) return;
    if (button.dataset['edit'] !== undefined) {
      openDialog(row);
      return;
    }
    deleting = row;
    byId('extension-delete-text').textContent =
      `Delete extension ${row.number}${row.email ? ` (${row.email})` : ''}? Its number can then be given to someone else.`;
    byId('extension-delete-error').textContent = '';
    deleteDialog.showModal();
  });

  byId<HTMLFormElement>('extension-delete-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const row = deleting;
    if (!row) return;
    try {
      await api.delete(`/api/extensions/${encodeURIComponent(row.number)}`);
    } catch (error) {
      byId('extension-delete-error').textContent = (error as Error).message;
      return;
    }
    deleteDialog.close();
    announce(`Extension ${row.number} is deleted.`);
    await reload();
  });

  return { refresh };
}

let view: ReturnType<typeof setUpExtensions> | undefined;

/** Shows the tab with the current extensions; the dialogs are wired on first show. */
export async function showExtensions(api: Api): Promise<void> {
  view ??= setUpExtensions(api);
  await view.refresh();
}
