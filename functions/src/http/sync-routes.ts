// The admin API of "User Synchronization": settings, Save (which starts a run, unless synchronization is paused),
// Sync now, run progress and held deletions. All of it needs the integration plan; the tenant is the admin's own.
import { readIntegration } from '../connect/integration.ts';
import type { WiredApp } from '../function-adapters.ts';
import { AppError } from '../errors.ts';
import { approveHeld, discardHeld } from '../sync/removals/held-deletions.ts';
import { listGroupChoices, listOrgUnitChoices } from '../sync/console/range-choices.ts';
import { latestRunId, runView } from '../sync/run/run-view.ts';
import { parseSyncSettings } from '../sync/settings/settings.ts';
import { readSyncSettings, saveSyncSettings } from '../sync/settings/settings-store.ts';
import { startPreview } from '../sync/run/start-run.ts';
import { getTenant, requireIntegrationPlan } from '../tenants/tenant.ts';
import type { Route, RouteContext } from './route.ts';

async function gated(context: RouteContext): Promise<WiredApp<'adminApi'>> {
  requireIntegrationPlan(await getTenant(context.app.db, context.admin.tenantId));
  return context.app;
}

async function viewOf(app: WiredApp<'adminApi'>, tenantId: string, runId: string | undefined) {
  if (runId !== undefined && !/^[\w-]{1,64}$/.test(runId))
    throw new AppError('not_found', 'There is no such sync run.');
  return runId ? ((await runView(app.db, tenantId, runId)) ?? null) : null;
}

/** Routes of the sync. */
export const syncRoutes: Readonly<Record<string, Route>> = {
  'GET /api/sync': {
    handle: async (context) => {
      const app = await gated(context);
      const tenantId = context.admin.tenantId;
      const { settings, saved } = await readSyncSettings(app.db, tenantId);
      return { settings, saved, run: await viewOf(app, tenantId, await latestRunId(app.db, tenantId)) };
    },
  },
  'PUT /api/sync/settings': {
    handle: async (context) => {
      const app = await gated(context);
      const tenantId = context.admin.tenantId;
      const [settings, { paused }] = await Promise.all([
        saveSyncSettings(app.db, tenantId, context.req.body),
        readIntegration(app.db, tenantId),
      ]);
      // Paused: the settings are kept for the run Resume starts, and the page goes on showing the latest run.
      if (paused === true)
        return { settings, run: await viewOf(app, tenantId, await latestRunId(app.db, tenantId)), paused: true };
      const { runId } = await app.startRun(tenantId, 'save');
      return { settings, run: await viewOf(app, tenantId, runId) };
    },
  },
  'POST /api/sync/preview': {
    handle: async (context) => {
      const app = await gated(context);
      const settings = parseSyncSettings(context.req.body);
      const { runId } = await startPreview(app, context.admin.tenantId, settings);
      return { run: await viewOf(app, context.admin.tenantId, runId) };
    },
  },
  'GET /api/google/org-units': {
    handle: async (context) => ({ orgUnits: await listOrgUnitChoices(await gated(context), context.admin.tenantId) }),
  },
  'GET /api/google/groups': {
    handle: async (context) => ({ groups: await listGroupChoices(await gated(context), context.admin.tenantId) }),
  },
  'POST /api/sync/runs': {
    handle: async (context) => {
      const app = await gated(context);
      const { runId } = await app.startRun(context.admin.tenantId, 'manual');
      return { run: await viewOf(app, context.admin.tenantId, runId) };
    },
  },
  'GET /api/sync/runs/:runId': {
    handle: async (context) => {
      const app = await gated(context);
      const run = await viewOf(app, context.admin.tenantId, context.params['runId']);
      if (!run) throw new AppError('not_found', 'There is no such sync run.');
      return { run };
    },
  },
  'POST /api/sync/runs/:runId/approve': {
    handle: async (context) => {
      const app = await gated(context);
      await viewOf(app, context.admin.tenantId, context.params['runId']);
      await approveHeld(app, context.admin.tenantId, context.params['runId'] ?? '');
      return { run: await viewOf(app, context.admin.tenantId, context.params['runId']) };
    },
  },
  'POST /api/sync/runs/:runId/discard': {
    handle: async (context) => {
      const app = await gated(context);
      await viewOf(app, context.admin.tenantId, context.params['runId']);
      await discardHeld(app.db, context.admin.tenantId, context.params['runId'] ?? '');
      return { run: await viewOf(app, context.admin.tenantId, context.params['runId']) };
    },
  },
};
