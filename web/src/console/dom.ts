// Small DOM helpers. Server text goes into the page as textContent, or through escapeHtml, never as raw markup.

/** Escapes text for HTML. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The element with `id`, or an error naming it. The caller names the element type the page gives that id. */
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- the type is the page's, not inferable
export function byId<T extends HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (!element) throw new Error(`Missing element #${id}`);
  return element as T;
}

/** Shows a status message in the page's live region. */
export function announce(text: string, kind: 'info' | 'error' = 'info'): void {
  const region = byId('status');
  region.textContent = text;
  region.className = `status ${kind}`;
}

/** The text to show for a failure, whatever was thrown. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
