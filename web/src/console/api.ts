// Calls to the admin API with the signed-in admin's ID token; errors carry the API's message.
import type { Auth } from 'firebase/auth';

/** An API error with the server's stable code and its message for the admin. */
export class ApiError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}

/** A client bound to the current admin. */
export function apiClient(auth: Auth) {
  async function call<T>(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: object): Promise<T> {
    const user = auth.currentUser;
    if (!user) throw new ApiError('unauthenticated', 'Sign in to the Management Console.');
    const response = await fetch(path, {
      method,
      headers: {
        Authorization: `Bearer ${await user.getIdToken()}`,
        ...(body && { 'Content-Type': 'application/json' }),
      },
      ...(body && { body: JSON.stringify(body) }),
    });
    const payload = (await response.json().catch(() => ({}))) as { error?: { code: string; message: string } };
    if (!response.ok) {
      throw new ApiError(
        payload.error?.code ?? 'internal',
        payload.error?.message ?? `The request failed (HTTP ${response.status}).`,
      );
    }
    return payload as T;
  }
  // A file the API streams (a CSV), saved under `filename`: fetched with the admin's token, which a plain link
  // could not send.
  async function download(path: string, filename: string): Promise<void> {
    const user = auth.currentUser;
    if (!user) throw new ApiError('unauthenticated', 'Sign in to the Management Console.');
    const response = await fetch(path, { headers: { Authorization: `Bearer ${await user.getIdToken()}` } });
    if (!response.ok) {
      const payload = (await response.json().catch(() => ({}))) as { error?: { code: string; message: string } };
      throw new ApiError(payload.error?.code ?? 'internal', payload.error?.message ?? 'The download failed.');
    }
    const url = URL.createObjectURL(await response.blob());
    const link = Object.assign(document.createElement('a'), { href: url, download: filename });
    document.body.append(link);
    link.click();
    link.remove();
    // The browser has taken the file once the click's task is over.
    setTimeout(() => URL.revokeObjectURL(url), 0);
  }
  return {
    download,
    get: <T>(path: string) => call<T>('GET', path),
    post: <T>(path: string, body: object = {}) => call<T>('POST', path, body),
    put: <T>(path: string, body: object) => call<T>('PUT', path, body),
    patch: <T>(path: string, body: object) => call<T>('PATCH', path, body),
    delete: <T>(path: string) => call<T>('DELETE', path),
  };
}

/** The API client's type. */
export type Api = ReturnType<typeof apiClient>;
