// The operator's tenant command:
//   npm run tenant -- create --id acme --name "Acme Corp" --plan business --time-zone Europe/Berlin \
//     --admin-email admin@acme.example --admin-password '…' [--stack start]
//   npm run tenant -- set-plan --id acme --plan essentials [--stack start]
// Live by default: it reads the functions' configuration from the environment and uses Application Default
// Credentials. --stack start points it at the running `npm start` stack instead (--stack test at the tests').
import { parseArgs } from 'node:util';
import { functionsEnvironment } from '../dev/stack/stack.ts';
import { stackAddresses } from '../dev/stack/stack-config.ts';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    id: { type: 'string' },
    name: { type: 'string' },
    plan: { type: 'string' },
    'time-zone': { type: 'string' },
    'admin-email': { type: 'string' },
    'admin-password': { type: 'string' },
    stack: { type: 'string' },
  },
});

if (values.stack !== undefined) {
  if (values.stack !== 'start' && values.stack !== 'test') throw new Error('--stack must be "start" or "test"');
  Object.assign(process.env, functionsEnvironment(stackAddresses(values.stack)));
}
// Imported after the environment is settled: config.ts reads it on first use.
const { getApp } = await import('../functions/src/app.ts');
const { createTenant, setTenantPlan } = await import('../functions/src/tenants/create-tenant.ts');

const command = positionals[0];
try {
  const app = getApp();
  if (command === 'create') {
    const { adminUid } = await createTenant(app, {
      id: values.id ?? '',
      name: values.name ?? '',
      plan: values.plan ?? '',
      timeZone: values['time-zone'] ?? '',
      adminEmail: values['admin-email'] ?? '',
      adminPassword: values['admin-password'] ?? '',
    });
    console.log(`Created tenant ${values.id} with admin ${values['admin-email']} (uid ${adminUid}).`);
  } else if (command === 'set-plan') {
    await setTenantPlan(app.db, values.id ?? '', values.plan ?? '');
    console.log(`Tenant ${values.id} is now on the ${values.plan} plan.`);
  } else {
    console.error('Usage: npm run tenant -- create|set-plan --id ID [...]; see infra/tenant-cli.ts');
    process.exitCode = 2;
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
}
process.exit();
