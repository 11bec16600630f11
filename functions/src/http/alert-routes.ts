// The admin API of e-mail alerts: who receives them, and which conditions are raised now.
import { ALERT_CONDITIONS, alertPaths } from '../alerts/alerts.ts';
import { alertRecipients, saveAlertRecipients } from '../alerts/recipients.ts';
import { getTenant, requireIntegrationPlan } from '../tenants/tenant.ts';
import type { Route, RouteContext } from './route.ts';

async function gated({ app, admin }: RouteContext) {
  requireIntegrationPlan(await getTenant(app.db, admin.tenantId));
  return app.db;
}

/** Routes of the alerts. */
export const alertRoutes: Readonly<Record<string, Route>> = {
  'GET /api/alerts': {
    handle: async (context) => {
      const db = await gated(context);
      const paths = alertPaths(db, context.admin.tenantId);
      const [recipients, states] = await Promise.all([
        alertRecipients(db, context.admin.tenantId),
        db.getAll(...ALERT_CONDITIONS.map((condition) => paths.condition(condition))),
      ]);
      const raised = states.filter((state) => state.get('active') === true).map((state) => state.id);
      return { ...recipients, raised };
    },
  },
  'PUT /api/alerts/recipients': {
    handle: async (context) => {
      const db = await gated(context);
      return { recipients: await saveAlertRecipients(db, context.admin.tenantId, context.req.body), saved: true };
    },
  },
};
