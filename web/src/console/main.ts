// The Management Console: sign-in, the menu of the guide ("Extension and Trunk" → "Extension", "Integrations"
// → "Collaboration"), and hash routes for the views.
import { onAuthStateChanged, signInWithEmailAndPassword, signOut } from 'firebase/auth';
import { apiClient } from './api.ts';
import { announce, byId } from './dom.ts';
import { initAuth } from './firebase.ts';
import type { Me } from './types.ts';
import { showExtensions } from './views/extensions.ts';
import { setUpGoogleIntegration } from './views/google-integration.ts';

const VIEWS = ['signin', 'collaboration', 'google', 'extensions'] as const;
type View = (typeof VIEWS)[number];

function show(view: View): void {
  for (const name of VIEWS) byId(`view-${name}`).hidden = name !== view;
}

const auth = await initAuth();
const api = apiClient(auth);
const google = setUpGoogleIntegration(api);
// Google's return carries the outcome once; it is read, then removed from the address bar.
const returned = new URLSearchParams(location.search);
let outcome = returned.get('google');
const attempt = returned.get('attempt');
if (outcome !== null) history.replaceState(null, '', `/${location.hash}`);
let me: Me | undefined;

async function route(): Promise<void> {
  if (!me) return;
  const hash = location.hash || '#/integrations/collaboration';
  try {
    if (hash === '#/extensions') {
      show('extensions');
      await showExtensions(api);
    } else if (hash === '#/integrations/google') {
      show('google');
      await google.show(me, outcome, attempt, true);
      outcome = null;
    } else {
      show('collaboration');
      await google.show(me, null);
    }
  } catch (error) {
    announce((error as Error).message, 'error');
  }
}

byId<HTMLFormElement>('signin-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const email = byId<HTMLInputElement>('signin-email').value;
  const password = byId<HTMLInputElement>('signin-password').value;
  try {
    // Success is shown by onAuthStateChanged, which opens the console.
    await signInWithEmailAndPassword(auth, email, password);
  } catch {
    announce('Wrong email or password.', 'error');
  }
});
byId('sign-out').addEventListener('click', () => void signOut(auth));
window.addEventListener('hashchange', () => void route());

// The menu and the account appear with the console, once the admin's tenant is read: until then the page shows
// neither a sign-in form already used nor a menu that cannot work yet.
function showSignedIn(signedIn: boolean): void {
  byId('menu').hidden = !signedIn;
  byId('account').hidden = !signedIn;
}

onAuthStateChanged(auth, async (user) => {
  if (!user) {
    me = undefined;
    showSignedIn(false);
    show('signin');
    return;
  }
  byId('view-signin').hidden = true;
  announce('Opening the Management Console…');
  try {
    me = await api.get<Me>('/api/me');
    byId('account-name').textContent = `${me.admin.email} · ${me.tenant.name}`;
    announce('');
    showSignedIn(true);
    await route();
  } catch (error) {
    announce((error as Error).message, 'error');
    show('signin');
  }
});
