// The PBX login page is served for every /t/{tenantId}/login; the tenant comes from the path.
const match = /^\/t\/([^/]+)\/login$/.exec(location.pathname);
const tenant = document.getElementById('tenant');
if (tenant) tenant.textContent = match?.[1] ? `Account: ${decodeURIComponent(match[1])}` : '';
