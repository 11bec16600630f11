// The PBX login page is served for every /t/{tenantId}/login; the tenant comes from the path.
const match = /^\/t\/([^/]+)\/login$/.exec(location.pathname);
document.getElementById('tenant').textContent = match ? `Account: ${decodeURIComponent(match[1])}` : '';
