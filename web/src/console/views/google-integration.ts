// The Collaboration card and the Google SSO Integration page: status, Integrate, Reauthorize, Pause
// synchronization / Resume and Disconnect.
import { ApiError, type Api } from '../api.ts';
import { announce, byId } from '../dom.ts';
import { CONNECT_OUTCOMES, STATUS_LABELS } from '../messages.ts';
import type { IntegrationView, Me, PushView } from '../types.ts';
import { setUpIntegrateDialog } from './integrate-dialog.ts';
import { setUpSync } from './sync.ts';

/** The integration views, wired once. */
export function setUpGoogleIntegration(api: Api) {
  const integrateDialog = setUpIntegrateDialog(api);
  const sync = setUpSync(api);
  const disconnectDialog = byId<HTMLDialogElement>('disconnect-dialog');
  let current: IntegrationView | undefined;

  const openIntegrate = () => current && integrateDialog.open(current);
  byId('integrate').addEventListener('click', openIntegrate);
  byId('google-integrate').addEventListener('click', openIntegrate);
  byId('reauthorize').addEventListener('click', async () => {
    try {
      const { authorizationUrl } = await api.post<{ authorizationUrl: string }>('/api/integrations/google/reauthorize');
      location.assign(authorizationUrl);
    } catch (error) {
      announce((error as Error).message, 'error');
    }
  });
  byId('pause').addEventListener('click', async () => {
    try {
      await api.post('/api/integrations/google/pause');
      await sync.show(await refresh());
      announce('Synchronization is paused.');
    } catch (error) {
      announce((error as Error).message, 'error');
    }
  });
  // The section reloads the latest run, which is the one Resume started, and follows it.
  byId('resume').addEventListener('click', async () => {
    try {
      await api.post('/api/integrations/google/resume');
      await sync.show(await refresh());
      announce('Synchronization is resumed.');
    } catch (error) {
      announce((error as Error).message, 'error');
    }
  });
  byId('disconnect').addEventListener('click', () => disconnectDialog.showModal());
  byId('disconnect-cancel').addEventListener('click', () => disconnectDialog.close());
  byId<HTMLFormElement>('disconnect-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const choice = new FormData(event.target as HTMLFormElement).get('extensions');
    try {
      const { extensions } = await api.post<{ extensions: number }>('/api/integrations/google/disconnect', {
        extensions: choice,
      });
      disconnectDialog.close();
      await sync.show(await refresh());
      announce(
        `Google Workspace is disconnected. ${extensions} synchronized extension(s) ${choice === 'keep' ? 'kept as ordinary extensions' : 'deleted'}.`,
      );
    } catch (error) {
      announce((error as Error).message, 'error');
    }
  });

  async function load(me: Me): Promise<IntegrationView | undefined> {
    if (!me.integrationAvailable) return undefined;
    try {
      current = await api.get<IntegrationView>('/api/integrations/google');
      return current;
    } catch (error) {
      if (error instanceof ApiError && error.code === 'plan_required') return undefined;
      throw error;
    }
  }

  let me: Me | undefined;
  async function refresh(): Promise<boolean> {
    if (!me) return false;
    const view = await load(me);
    const connected = view !== undefined && view.status !== 'not_connected';
    const plan = byId('google-card-plan');
    plan.hidden = me.integrationAvailable;
    plan.textContent = `Available on the Teliqon Business and Ultimate plans. This account is on ${me.tenant.planName}.`;
    // Integrate opens the dialog with the loaded redirect URIs, so it waits for them.
    byId<HTMLButtonElement>('integrate').disabled = !view;
    byId<HTMLButtonElement>('google-integrate').disabled = !view;
    byId('integrate').hidden = connected;
    byId('google-card-open').hidden = !connected;
    const status = view ? (STATUS_LABELS[view.status] ?? view.status) : 'Not available';
    // Pause applies to a connection (or one waiting for reauthorization), never to a disconnecting one.
    const pausable = view?.status === 'connected' || view?.status === 'reauthorization_required';
    const paused = pausable && view.paused;
    byId('google-card-status').textContent = paused ? `${status} · paused` : status;
    byId('google-status').textContent = paused ? `${status} · paused` : status;
    byId('google-paused').hidden = !paused;
    byId('pause').hidden = !pausable || paused;
    byId('resume').hidden = !paused;
    byId('google-domain').textContent = view?.primaryDomain ?? '—';
    byId('google-customer').textContent = view?.customerId ?? '—';
    byId('google-connected-by').textContent = view?.connectedBy ?? '—';
    // A problem only a new client or secret fixes offers Integrate (Certificates & Secrets) beside Reauthorize.
    const problem = view?.status === 'reauthorization_required' ? view.authorizationProblem : null;
    byId('google-problem').hidden = !problem;
    byId('google-problem').textContent = problem?.message ?? '';
    byId('google-integrate').hidden = !view || (connected && !problem?.needsNewCredentials);
    showPush(view?.push ?? null);
    byId('reauthorize').hidden = !connected;
    byId('disconnect').hidden = !connected;
    return view?.status === 'connected';
  }

  return {
    async show(signedIn: Me, outcome: string | null, attempt: string | null = null, withSync = false): Promise<void> {
      me = signedIn;
      const connected = await refresh();
      await sync.show(withSync && connected);
      const banner = byId('google-outcome');
      banner.hidden = outcome === null;
      if (outcome !== null) {
        // A stored message can name what exactly went wrong (e.g. which scope); it belongs to this attempt only.
        const stored = current?.lastError;
        const detailed =
          stored && attempt && stored.attempt === attempt && stored.reason === outcome ? stored.message : undefined;
        banner.textContent = detailed ?? CONNECT_OUTCOMES[outcome] ?? CONNECT_OUTCOMES['google_error']!;
        banner.className = outcome === 'connected' ? 'status info' : 'status error';
      }
    },
  };
}

const PUSH_CHANGES: Readonly<Record<string, string>> = {
  created: 'extension created',
  updated: 'extension updated',
  associated: 'extension associated',
  renumbered: 'extension renumbered',
  deleted: 'extension deleted',
  held: 'deletion held for approval',
  skipped: 'skipped',
};

// Whether updates from Google arrive within a minute, or why not, and what the last pushes did.
function showPush(push: PushView | null): void {
  byId('sync-push').textContent = push?.message ?? '';
  const list = byId('sync-push-list');
  list.replaceChildren(
    ...(push?.changes ?? []).map((change) => {
      const item = document.createElement('li');
      const what = [PUSH_CHANGES[change.change] ?? change.change, change.number, change.reason]
        .filter(Boolean)
        .join(' · ');
      item.textContent = `${new Date(change.at).toLocaleString()}: ${change.email}: ${what}`;
      return item;
    }),
  );
  byId('sync-push-changes').hidden = (push?.changes.length ?? 0) === 0;
}
