// The routes of Specific Users: "Search Users", "Synchronize to PBX", and the "synced list" with its "Save".
import { z } from 'zod';
import { AppError } from '../errors.ts';
import { DEFAULT_SETTINGS, parseSyncSettings, type SearchCriteria } from '../sync/settings/settings.ts';
import { searchUsers } from '../sync/console/specific-search.ts';
import { saveAssignments, selectUsers, syncedList } from '../sync/console/specific-users.ts';
import { getTenant, requireIntegrationPlan } from '../tenants/tenant.ts';
import type { Route, RouteContext } from './route.ts';

async function gated(context: RouteContext) {
  requireIntegrationPlan(await getTenant(context.app.db, context.admin.tenantId));
  return context.app;
}

const pageToken = z.object({ pageToken: z.string().max(10).optional() });

// The criteria are validated by the settings schema, so a search takes exactly what "Save" would store.
function criteriaOf(body: unknown): SearchCriteria {
  const input = (body ?? {}) as Record<string, unknown>;
  return parseSyncSettings({
    ...DEFAULT_SETTINGS,
    range: 'specific',
    specific: { orgUnits: input['orgUnits'] ?? [], groups: input['groups'] ?? [] },
  }).specific;
}

/** Routes of Specific Users. */
export const specificRoutes: Readonly<Record<string, Route>> = {
  'POST /api/google/users/search': {
    handle: async (context) => {
      const app = await gated(context);
      const token = pageToken.safeParse(context.req.body);
      if (!token.success)
        throw new AppError('invalid_request', 'That page of the search is not valid; click "Search Users" again.');
      return searchUsers(app, context.admin.tenantId, criteriaOf(context.req.body), token.data.pageToken);
    },
  },
  'GET /api/sync/specific-users': {
    handle: async (context) => syncedList(await gated(context), context.admin.tenantId),
  },
  'POST /api/sync/specific-users': {
    handle: async (context) => {
      const app = await gated(context);
      const outcome = await selectUsers(app, context.admin.tenantId, context.req.body);
      return { ...outcome, ...(await syncedList(app, context.admin.tenantId)) };
    },
  },
  'PUT /api/sync/specific-users/assignments': {
    handle: async (context) => {
      const app = await gated(context);
      const outcome = await saveAssignments(app, context.admin.tenantId, context.req.body);
      return { ...outcome, ...(await syncedList(app, context.admin.tenantId)) };
    },
  },
};
