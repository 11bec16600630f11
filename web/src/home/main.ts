// The landing page after Sign in with Google, /t/{tenantId}/home: the signed-in user's name and extension, and
// Sign out. Without a session on this tenant it sends the browser to the tenant's login page.
import { announce, pageTenant, userApi } from '../login/tenant-page.ts';

interface SignedInUser {
  readonly tenant: { readonly id: string; readonly name: string };
  readonly extension: string;
  readonly firstName: string;
  readonly lastName: string;
  readonly email: string;
}

function show(id: string, text: string): void {
  const element = document.getElementById(id);
  if (element) element.textContent = text;
}

const tenantId = pageTenant();
const loginPage = `/t/${encodeURIComponent(tenantId ?? '')}/login`;

if (tenantId) {
  const answer = await userApi<{ user: SignedInUser }>(tenantId, 'session');
  if (!answer.ok && answer.status === 401) location.replace(loginPage);
  else if (!answer.ok) announce(answer.message);
  else {
    const { user } = answer.body;
    show('account', user.tenant.name);
    show('welcome', `Welcome, ${`${user.firstName} ${user.lastName}`.trim()}`);
    show('extension', user.extension);
    show('email', user.email);
    document.getElementById('signed-in')?.removeAttribute('hidden');
  }
}

document.getElementById('sign-out')?.addEventListener('click', async () => {
  if (!tenantId) return;
  const answer = await userApi(tenantId, 'sign-out', 'POST');
  if (answer.ok) location.assign(loginPage);
  else announce(answer.message);
});
