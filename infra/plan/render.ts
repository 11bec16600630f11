// Prints a plan as the exact commands and API calls, shell-quoted so each command line can be pasted.
import type { PlanSection, PlanStep } from './types.ts';

/** Quotes one argument for a POSIX shell; `${NAME}` lookups stay expandable. */
export function shellQuote(arg: string): string {
  if (/^[\w@%+=:,./${}()-]+$/.test(arg) && !/[()]/.test(arg.replace(/\$\{\w+\}/g, ''))) return arg;
  return `"${arg.replace(/(["\\`])/g, '\\$1').replace(/\$(?!\{\w+\})/g, '\\$')}"`;
}

const line = (argv: readonly string[]): string => argv.map(shellQuote).join(' ');

function renderStep(step: PlanStep, index: number): string[] {
  const head = `${index}. ${step.description}`;
  switch (step.kind) {
    case 'command':
      return [head, `   $ ${line(step.argv)}`, ...(step.unless ? [`     unless: ${line(step.unless)}`] : [])];
    case 'lookup':
      return [head, `   $ ${step.name}=$(${line(step.argv)})`];
    case 'api':
      return [
        head,
        `   API ${step.call}`,
        ...JSON.stringify(step.request, null, 2)
          .split('\n')
          .map((text) => `     ${text}`),
      ];
    case 'file':
      return [
        head,
        `   write ${step.path}:`,
        ...step.content
          .trimEnd()
          .split('\n')
          .map((text) => `     ${text}`),
      ];
  }
}

/** The whole plan as text: numbered steps under their sections' headings. */
export function renderPlan(sections: readonly PlanSection[]): string {
  const out: string[] = [];
  let index = 0;
  for (const section of sections) {
    out.push(`## ${section.title}`);
    for (const step of section.steps) out.push(...renderStep(step, ++index));
    out.push('');
  }
  return out.join('\n');
}
