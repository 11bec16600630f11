// The operator's deploy command:
//   npm run deploy -- --project P --region R [--public-base-url https://pbx.example.com] [--dry-run]
// Builds the plan, prints it, and (without --dry-run) applies it step by step. Every step is idempotent: creates are
// guarded by a read-only probe, IAM bindings and deploys converge, so running it again changes nothing.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { buildPlan } from './plan/build-plan.ts';
import { loadFirebaseJson } from './plan/firebase-json.ts';
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
if (!/^[a-z]+(-[a-z]+)+\d+$/.test(region)) {
  process.stderr.write(`--region must be a Google Cloud region such as europe-west1 or us-central1, not "${region}"\n`);
  process.exit(2);
}
const plan = buildPlan({
  projectId,
  region,
  publicBaseUrl: values['public-base-url'] ?? `https://${projectId}.web.app`,
  firebaseJson: loadFirebaseJson(),
});
process.stdout.write(renderPlan(plan));

if (!values['dry-run']) {
  const { applyPlan } = await import('./apply/apply-plan.ts');
  await applyPlan(plan, { projectId });
  process.stdout.write('Deployed. Running it again changes nothing.\n');
}
