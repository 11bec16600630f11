// The "Extension" tab's routes. Extensions are the PBX's own directory, so they work on every plan; the tenant is
// still only the signed-in admin's own.
import {
  createLocalExtension,
  deleteExtension,
  listExtensions,
  updateExtension,
} from '../extensions/extension-directory.ts';
import { parseExtensionChanges, parseNewExtension, parseNumberParam } from '../extensions/extension-input.ts';
import type { Route } from './route.ts';

/** Routes by "METHOD /path" for the tenant's extensions. */
export const extensionRoutes: Readonly<Record<string, Route>> = {
  'GET /api/extensions': {
    handle: async ({ app, admin }) => ({ extensions: await listExtensions(app.db, admin.tenantId) }),
  },
  'POST /api/extensions': {
    handle: async ({ app, req, admin }) => ({
      extension: await createLocalExtension(app.db, admin.tenantId, parseNewExtension(req.body)),
    }),
  },
  'PATCH /api/extensions/:number': {
    handle: async ({ app, req, admin, params }) => {
      const number = parseNumberParam(params['number']);
      return { extension: await updateExtension(app.db, admin.tenantId, number, parseExtensionChanges(req.body)) };
    },
  },
  'DELETE /api/extensions/:number': {
    handle: ({ app, admin, params }) => deleteExtension(app.db, admin.tenantId, parseNumberParam(params['number'])),
  },
};
