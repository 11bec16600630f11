// The Fetch standard's "bad ports" (https://fetch.spec.whatwg.org/#port-blocking). Chromium and Firefox refuse to
// load them (ERR_UNSAFE_PORT) and Node's own fetch (undici) refuses them too ("bad port"), so no port of a local
// stack may be one: a person who opens the printed address, or a function that fetches the Google stand-in, would
// be stopped at the first step. 5060 and 5061 (SIP) are the ones a PBX project is most tempted to use.
const FETCH_BAD_PORTS: ReadonlySet<number> = new Set([
  1, 7, 9, 11, 13, 15, 17, 19, 20, 21, 22, 23, 25, 37, 42, 43, 53, 69, 77, 79, 87, 95, 101, 102, 103, 104, 109, 110,
  111, 113, 115, 117, 119, 123, 135, 137, 139, 143, 161, 179, 389, 427, 465, 512, 513, 514, 515, 526, 530, 531, 532,
  540, 548, 554, 556, 563, 587, 601, 636, 989, 990, 993, 995, 1719, 1720, 1723, 2049, 3659, 4045, 4190, 5060, 5061,
  6000, 6566, 6665, 6666, 6667, 6668, 6669, 6679, 6697, 10080,
]);

/** The bad ports, in ascending order. */
export const badPorts: readonly number[] = [...FETCH_BAD_PORTS].sort((a, b) => a - b);

/** Whether browsers and fetch refuse `port`. */
export function isBadPort(port: number): boolean {
  return FETCH_BAD_PORTS.has(port);
}
