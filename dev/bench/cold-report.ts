// The cold-start benchmark's table: per function, the median of its cold starts, and with a revision to compare
// with, its figure beside the working tree's ("before → after").
import type { ColdMeasurement, ColdStart } from './cold-bench.ts';

/** The median of `values` (the mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return Number.NaN;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

// The columns: what Cloud Run waits for before the function listens, the first request's answer, their sum (what
// the first request waits for on a cold instance), the CPU time of both, and the memory after them.
const FIGURES: ReadonlyArray<readonly [title: string, figure: (start: ColdStart) => number]> = [
  ['import ms', (start) => start.importMs],
  ['first answer ms', (start) => start.answerMs],
  ['cold request ms', (start) => start.importMs + start.answerMs],
  ['CPU ms', (start) => start.cpuMs],
  ['RSS MiB', (start) => start.rssMiB],
];

// Each build's median of one figure, joined: "562 → 120".
function cell(starts: ReadonlyMap<string, readonly ColdStart[]>, figure: (start: ColdStart) => number): string {
  return [...starts.values()].map((runs) => median(runs.map(figure)).toFixed(0)).join(' → ');
}

/** One line per function, columns aligned, then the framework's own share of the memory. */
export function formatColdTable(rows: readonly ColdMeasurement[]): string {
  const builds = [...(rows[0]?.starts.keys() ?? [])];
  const header = ['function', 'trigger', ...FIGURES.map(([title]) => title)];
  const lines = rows.map(({ fn, starts }) => [
    fn.name,
    fn.trigger.kind === 'http' ? 'http' : 'event',
    ...FIGURES.map(([, figure]) => cell(starts, figure)),
  ]);
  const widths = header.map((title, i) => Math.max(title.length, ...lines.map((line) => line[i]?.length ?? 0)));
  // Names left, figures right.
  const format = (cells: readonly string[]) =>
    cells
      .map((text, i) => (i < 2 ? text.padEnd(widths[i] ?? 0) : text.padStart(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  const all = rows.flatMap(({ starts }) => [...starts.values()].flat());
  const runs = Math.min(...rows.flatMap(({ starts }) => [...starts.values()].map((runs) => runs.length)));
  return [
    `Cold starts of ${builds.join(' → ')}, median of ${runs} fresh process${runs === 1 ? '' : 'es'} per function:`,
    format(header),
    format(widths.map((w) => '-'.repeat(w))),
    ...lines.map(format),
    `RSS with only Node and the Functions Framework loaded, before the import: ` +
      `${median(all.map((start) => start.frameworkRssMiB)).toFixed(0)} MiB.`,
  ].join('\n');
}
