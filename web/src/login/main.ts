// The PBX login page, served for every /t/{tenantId}/login. The "G" button appears only when the tenant offers
// Sign in with Google (a connected integration on an eligible plan); it needs no setting beyond Connect.
import { announce, pageTenant, userApi } from './tenant-page.ts';

const tenantId = pageTenant();
const tenant = document.getElementById('tenant');
if (tenant) tenant.textContent = tenantId ? `Account: ${tenantId}` : '';

if (tenantId) {
  const answer = await userApi<{ google: boolean }>(tenantId, 'sign-in');
  if (!answer.ok) announce(answer.message);
  else if (answer.body.google) document.getElementById('google-sign-in')?.removeAttribute('hidden');
}
