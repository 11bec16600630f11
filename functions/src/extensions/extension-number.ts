// Extension numbers: strings of 2 to 7 digits with no leading zero, compared as numbers.

/** The shape of an extension number. */
export const EXTENSION_NUMBER = /^[1-9][0-9]{1,6}$/;

/** The highest extension number there can be. */
export const MAX_EXTENSION_NUMBER = 9_999_999;

/** Whether a string is a valid extension number. */
export function isExtensionNumber(value: string): boolean {
  return EXTENSION_NUMBER.test(value);
}

/** A property value as an extension number: a digit string or an integer; anything else is undefined. */
export function extensionNumberFrom(value: unknown): string | undefined {
  const text =
    typeof value === 'number' && Number.isSafeInteger(value)
      ? String(value)
      : typeof value === 'string'
        ? value.trim()
        : undefined;
  return text !== undefined && isExtensionNumber(text) ? text : undefined;
}

/** Orders numbers numerically, not as strings ("99" before "100"). */
export function compareExtensionNumbers(a: string, b: string): number {
  return Number(a) - Number(b);
}
