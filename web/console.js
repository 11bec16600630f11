// The config page's script. For now it shows whether the admin API answers on this origin.
const output = document.getElementById('health');
fetch('/api/health')
  .then((response) => (response.ok ? response.json() : Promise.reject(new Error(`HTTP ${response.status}`))))
  .then((health) => { output.textContent = health.status === 'ok' ? 'service available' : 'service unavailable'; })
  .catch(() => { output.textContent = 'service unavailable'; });
