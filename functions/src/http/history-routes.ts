// The admin API of the sync's history: the recent runs and push days, one's changes a page at a time, and the same
// changes as a CSV download, streamed.
import { once } from 'node:events';
import { getTenant, requireIntegrationPlan } from '../tenants/tenant.ts';
import { syncPaths } from '../tenants/paths.ts';
import { changesCsv } from '../sync/history/history-csv.ts';
import { changePage, changesOf, listHistory, parseChangeFilter } from '../sync/history/history-query.ts';
import { CHANGES_KEPT_DAYS } from '../sync/history/change-entry.ts';
import type { Route, RouteContext } from './route.ts';

/** Changes per page of the list. */
const PAGE_SIZE = 100;

async function gatedChanges(context: RouteContext) {
  requireIntegrationPlan(await getTenant(context.app.db, context.admin.tenantId));
  const changes = await changesOf(syncPaths(context.app.db, context.admin.tenantId), context.params['id'] ?? '');
  return { changes, filter: parseChangeFilter(context.req.query) };
}

/** Routes of the history. */
export const historyRoutes: Readonly<Record<string, Route>> = {
  'GET /api/sync/history': {
    handle: async ({ app, admin }) => {
      requireIntegrationPlan(await getTenant(app.db, admin.tenantId));
      return { runs: await listHistory(app.db, admin.tenantId), keptDays: CHANGES_KEPT_DAYS };
    },
  },
  'GET /api/sync/history/:id/changes': {
    handle: async (context) => {
      const { changes, filter } = await gatedChanges(context);
      const after = context.req.query['after'];
      return changePage(changes, filter, typeof after === 'string' && after ? after : undefined, PAGE_SIZE);
    },
  },
  'GET /api/sync/history/:id/changes.csv': {
    streams: true,
    handle: async (context) => {
      const { changes, filter } = await gatedChanges(context);
      const { res } = context;
      const name = `sync-changes-${(context.params['id'] ?? '').replace(/[^\w-]/g, '')}.csv`;
      res.status(200);
      res.set('Content-Type', 'text/csv; charset=utf-8; header=present');
      res.set('Content-Disposition', `attachment; filename="${name}"`);
      for await (const part of changesCsv(changes, filter)) {
        // Waits for the client to take what was sent, so a slow download holds one query's rows at most; a client
        // that went away stops the reading.
        if (!res.write(part)) await Promise.race([once(res, 'drain'), once(res, 'close')]);
        if (res.destroyed) return;
      }
      res.end();
    },
  },
};
