// The PBX user's pages live under /t/{tenantId}/; the tenant comes from the path, and their API from beside it.

/** The tenant id of the current /t/{tenantId}/... page, if the path has one. */
export function pageTenant(): string | undefined {
  const match = /^\/t\/([^/]+)\//.exec(location.pathname);
  return match?.[1] ? decodeURIComponent(match[1]) : undefined;
}

/** An answer of the user API: the JSON body, or the error's message. */
export type UserApiAnswer<T> =
  { readonly ok: true; readonly body: T } | { readonly ok: false; readonly status: number; readonly message: string };

/** Calls /t/{tenantId}/api/{name} on the same origin, with the `__session` cookie. */
export async function userApi<T>(
  tenantId: string,
  name: string,
  method: 'GET' | 'POST' = 'GET',
): Promise<UserApiAnswer<T>> {
  const response = await fetch(`/t/${encodeURIComponent(tenantId)}/api/${name}`, {
    method,
    credentials: 'same-origin',
  });
  const payload = (await response.json().catch(() => ({}))) as T & { error?: { message?: string } };
  if (response.ok) return { ok: true, body: payload };
  return {
    ok: false,
    status: response.status,
    message: payload.error?.message ?? `The request failed (HTTP ${response.status}).`,
  };
}

/** Shows a message in the page's live region. */
export function announce(text: string): void {
  const status = document.getElementById('status');
  if (status) status.textContent = text;
}
