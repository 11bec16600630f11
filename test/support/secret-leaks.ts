// Finds secret values in texts: what the last test of a run checks its output, logs and documents with.

/** A text to scan, named by where it came from. */
export interface ScannedText {
  readonly source: string;
  readonly text: string;
}

/** A text a secret may appear in, and the exact line it may appear on. */
export interface AllowedLine {
  readonly source: string;
  readonly line: string;
}

/** Where each secret appears, as "source: the secret's first four characters…"; the secrets themselves are not
 * repeated, so a failing scan does not print what it found. */
export function findLeaks(
  secrets: Iterable<string>,
  texts: Iterable<ScannedText>,
  allowed: readonly AllowedLine[] = [],
): string[] {
  const leaks: string[] = [];
  const values = [...secrets];
  for (const { source, text } of texts) {
    const exempt = new Set(allowed.filter((entry) => entry.source === source).map((entry) => entry.line));
    const scanned =
      exempt.size === 0
        ? text
        : text
            .split('\n')
            .filter((line) => !exempt.has(line))
            .join('\n');
    for (const secret of values) if (scanned.includes(secret)) leaks.push(`${source}: ${secret.slice(0, 4)}…`);
  }
  return leaks;
}
