// "Alerts by e-mail": the PBX admins the alerts go to (by default, the admin who connected).
import type { Api } from '../api.ts';
import { byId, messageOf } from '../dom.ts';

interface Recipients {
  readonly recipients: string[];
  readonly saved: boolean;
}

/** The section, wired once; `show` loads the list. */
export function setUpAlerts(api: Api) {
  const field = () => byId<HTMLInputElement>('alert-recipients');
  byId<HTMLFormElement>('alerts-form').addEventListener('submit', (event) => {
    event.preventDefault();
    byId('alerts-error').textContent = '';
    byId('alerts-status').textContent = '';
    const recipients = field()
      .value.split(/[,;\s]+/)
      .filter(Boolean);
    api
      .put<Recipients>('/api/alerts/recipients', { recipients })
      .then((saved) => {
        field().value = saved.recipients.join(', ');
        byId('alerts-status').textContent = 'Saved.';
      })
      .catch((error: unknown) => (byId('alerts-error').textContent = messageOf(error)));
  });
  return {
    async show(): Promise<void> {
      const { recipients } = await api.get<Recipients>('/api/alerts');
      field().value = recipients.join(', ');
    },
  };
}
