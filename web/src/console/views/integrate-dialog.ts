// Guide Steps 1 and 3: the dialog shows both redirect URIs to copy, takes the Client ID and Client Secret under
// "Certificates & Secrets", and "Save" sends the browser to Google's consent screen.
import { CLIENT_ID_FORMAT } from '../../../../functions/src/connect/client-id.ts';
import type { Api } from '../api.ts';
import { byId } from '../dom.ts';
import type { IntegrationView } from '../types.ts';

function fieldError(id: string, message: string): boolean {
  byId(`${id}-error`).textContent = message;
  byId<HTMLInputElement>(id).setAttribute('aria-invalid', message ? 'true' : 'false');
  return message === '';
}

/** Wires the dialog once. */
export function setUpIntegrateDialog(api: Api): { open(view: IntegrationView): void } {
  const dialog = byId<HTMLDialogElement>('integrate-dialog');
  for (const button of dialog.querySelectorAll<HTMLButtonElement>('[data-copy]')) {
    button.addEventListener('click', async () => {
      const input = byId<HTMLInputElement>(button.dataset['copy'] ?? '');
      input.select();
      // The selection above lets a person copy by hand if the clipboard refuses.
      await navigator.clipboard.writeText(input.value).catch(() => undefined);
      button.textContent = 'Copied';
      setTimeout(() => (button.textContent = 'Copy'), 1500);
    });
  }
  byId('integrate-cancel').addEventListener('click', () => dialog.close());
  byId<HTMLFormElement>('integrate-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const clientId = byId<HTMLInputElement>('client-id').value.trim();
    const clientSecret = byId<HTMLInputElement>('client-secret').value.trim();
    const idOk = fieldError(
      'client-id',
      CLIENT_ID_FORMAT.test(clientId) ? '' : 'Enter the Client ID, e.g. 123456789012-abc123.apps.googleusercontent.com',
    );
    const secretOk = fieldError(
      'client-secret',
      clientSecret.length >= 10 ? '' : 'Enter the Client Secret shown with the Client ID',
    );
    if (!idOk || !secretOk) return;
    const save = byId<HTMLButtonElement>('integrate-save');
    save.disabled = true;
    byId('integrate-error').textContent = '';
    try {
      const { authorizationUrl } = await api.post<{ authorizationUrl: string }>('/api/integrations/google/connect', {
        clientId,
        clientSecret,
      });
      location.assign(authorizationUrl);
    } catch (error) {
      byId('integrate-error').textContent = (error as Error).message;
      save.disabled = false;
    }
  });
  return {
    open(view) {
      byId<HTMLInputElement>('redirect-uri').value = view.redirectUris.connect;
      byId<HTMLInputElement>('sso-redirect-uri').value = view.redirectUris.sso;
      byId<HTMLInputElement>('client-id').value = view.clientId ?? '';
      byId<HTMLInputElement>('client-secret').value = '';
      fieldError('client-id', '');
      fieldError('client-secret', '');
      byId('integrate-error').textContent = '';
      byId<HTMLButtonElement>('integrate-save').disabled = false;
      dialog.showModal();
    },
  };
}
