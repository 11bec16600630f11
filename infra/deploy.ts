// The operator's deploy command:
//   npm run deploy -- --project P --region R [--public-base-url https://pbx.example.com] [--dry-run]
// Builds the plan, prints it, and (without --dry-run) applies it step by step. Every step is idempotent: creates are
// guarded by a read-only probe, IAM bindings and deploys converge, so running it again changes nothing.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { buildPlan } from './plan/build-plan.ts';
import { renderPlan } from './plan/render.ts';

const { values } = parseArgs({
  options: {
    project: { type: 'string' },
    region: { type: 'string' },
    'public-base-url': { type: 'string' },
    'dry-run': { type: 'boolean', default: false },
  },
});

const stack = JSON.parse(readFileSync(new URL('../stack.config.json', import.meta.url), 'utf8')) as { region: string };
const projectId = values.project;
if (!projectId) {
  process.stderr.write('Usage: npm run deploy -- --project P [--region R] [--public-base-url URL] [--dry-run]\n');
  process.exit(2);
}
const region = values.region ?? stack.region;
// Hosting rewrites name each function's region; deploying the functions elsewhere would leave the rewrites dangling.
const hosting = JSON.parse(readFileSync(new URL('../firebase.json', import.meta.url), 'utf8')) as {
  hosting: { rewrites: { function?: { region?: string } }[] };
};
const rewriteRegions = new Set(hosting.hosting.rewrites.flatMap((rewrite) => (rewrite.function?.region ? [rewrite.function.region] : [])));
if ([...rewriteRegions].some((rewriteRegion) => rewriteRegion !== region)) {
  process.stderr.write(`firebase.json rewrites to functions in ${[...rewriteRegions].join(', ')}, not ${region}: change them (and stack.config.json) first\n`);
  process.exit(2);
}
const plan = buildPlan({ projectId, region, publicBaseUrl: values['public-base-url'] ?? `https://${projectId}.web.app` });
process.stdout.write(renderPlan(plan));

if (!values['dry-run']) {
  const { applyPlan } = await import('./apply/apply-plan.ts');
  await applyPlan(plan, { projectId });
  process.stdout.write('Deployed. Running it again changes nothing.\n');
}
