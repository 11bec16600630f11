// The admin API's routes. Each names whether it needs a signed-in admin; the tenant is always the admin's own.
import { disconnect } from '../connect/disconnect.ts';
import { readIntegration } from '../connect/integration.ts';
import { startConnect } from '../connect/start-connect.ts';
import { pushView } from '../push/push-view.ts';
import { readHeartbeat } from '../schedule/heartbeat.ts';
import { pauseSync, resumeSync } from '../sync/run/pause.ts';
import { getTenant, hasIntegrationPlan, planName, requireIntegrationPlan } from '../tenants/tenant.ts';
import { ensureBrowserId } from './browser-id.ts';
import { extensionRoutes } from './extension-routes.ts';
import { specificRoutes } from './specific-routes.ts';
import type { Route, RouteContext } from './route.ts';
import { syncRoutes } from './sync-routes.ts';
import { historyRoutes } from './history-routes.ts';
import { alertRoutes } from './alert-routes.ts';

async function integrationView({ app, admin }: RouteContext) {
  requireIntegrationPlan(await getTenant(app.db, admin.tenantId));
  const integration = await readIntegration(app.db, admin.tenantId);
  const paused = integration.paused === true;
  return {
    status: integration.status,
    redirectUris: app.config.redirectUris,
    clientId: integration.clientId ?? null,
    customerId: integration.customerId ?? null,
    primaryDomain: integration.primaryDomain ?? null,
    connectedBy: integration.connectedBy?.googleEmail ?? null,
    connectedAt: integration.connectedAt ?? null,
    lastError: integration.lastError ?? null,
    authorizationProblem: integration.authorizationProblem
      ? {
          code: integration.authorizationProblem.code,
          message: integration.authorizationProblem.message,
          needsNewCredentials: integration.authorizationProblem.needsNewCredentials,
        }
      : null,
    paused,
    pausedAt: paused ? (integration.pausedAt ?? null) : null,
    push: integration.status === 'connected' ? await pushOf(app, admin.tenantId, paused) : null,
  };
}

// While paused no channel is open on purpose: the page says so rather than that one opens within a minute.
async function pushOf(app: RouteContext['app'], tenantId: string, paused: boolean) {
  const view = await pushView(app.db, tenantId, Date.now());
  return paused ? { ...view, message: 'Updates from Google are stopped while synchronization is paused.' } : view;
}

/** Routes by "METHOD /path", where a path segment `:name` matches any one segment. */
export const adminRoutes: Readonly<Record<string, Route>> = {
  'GET /api/health': {
    public: true,
    handle: async (app) => {
      const heartbeat = await readHeartbeat(app.db);
      return { status: 'ok', mode: app.config.mode, lastTickAt: heartbeat?.lastTickAt ?? null };
    },
  },
  'GET /api/me': {
    handle: async ({ app, admin }) => {
      const tenant = await getTenant(app.db, admin.tenantId);
      return {
        admin: { email: admin.email },
        tenant: { id: tenant.id, name: tenant.name, plan: tenant.plan, planName: planName(tenant.plan) },
        integrationAvailable: hasIntegrationPlan(tenant),
      };
    },
  },
  'GET /api/integrations/google': { handle: integrationView },
  'POST /api/integrations/google/connect': {
    handle: ({ app, req, res, admin }) =>
      startConnect(
        app,
        admin,
        { mode: 'connect', clientId: bodyField(req, 'clientId'), clientSecret: bodyField(req, 'clientSecret') },
        ensureBrowserId(req, res),
      ),
  },
  'POST /api/integrations/google/reauthorize': {
    handle: ({ app, req, res, admin }) => startConnect(app, admin, { mode: 'reauthorize' }, ensureBrowserId(req, res)),
  },
  'POST /api/integrations/google/disconnect': {
    handle: async ({ app, req, admin }) => {
      requireIntegrationPlan(await getTenant(app.db, admin.tenantId));
      return disconnect(app, admin, bodyField(req, 'extensions'));
    },
  },
  'POST /api/integrations/google/pause': {
    handle: async ({ app, admin }) => {
      requireIntegrationPlan(await getTenant(app.db, admin.tenantId));
      await pauseSync(app, admin.tenantId);
      return { paused: true };
    },
  },
  'POST /api/integrations/google/resume': {
    handle: async ({ app, admin }) => {
      requireIntegrationPlan(await getTenant(app.db, admin.tenantId));
      return { paused: false, ...(await resumeSync(app, admin.tenantId)) };
    },
  },
  ...extensionRoutes,
  ...syncRoutes,
  ...historyRoutes,
  ...alertRoutes,
  ...specificRoutes,
};

// A field of the JSON body, as sent; the domain validates it.
function bodyField(req: RouteContext['req'], name: string): unknown {
  return (req.body as Record<string, unknown> | undefined)?.[name];
}
