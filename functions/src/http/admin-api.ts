// The admin API behind the config page. Routes are added by the issues that need them; errors become JSON
// with a stable code in one place.
import type { Request, Response } from '@google-cloud/functions-framework';
import type { App } from '../app.ts';
import { AppError } from '../errors.ts';
import { log } from '../log.ts';
import { readHeartbeat } from '../schedule/heartbeat.ts';

type Route = (app: App, req: Request) => Promise<unknown>;

const routes: Record<string, Route> = {
  'GET /api/health': async (app) => {
    const heartbeat = await readHeartbeat(app.db);
    return { status: 'ok', mode: app.config.mode, lastTickAt: heartbeat?.lastTickAt ?? null };
  },
};

/** Serves one admin API request. */
export async function handleAdminApi(app: App, req: Request, res: Response): Promise<void> {
  res.set('Cache-Control', 'no-store');
  try {
    const route = routes[`${req.method} ${req.path}`];
    if (!route) throw new AppError('not_found', `No API route ${req.method} ${req.path}`);
    res.status(200).json(await route(app, req));
  } catch (error) {
    sendError(res, error);
  }
}

function sendError(res: Response, error: unknown): void {
  if (error instanceof AppError) {
    res.status(error.httpStatus).json({ error: { code: error.code, message: error.message } });
    return;
  }
  log.error('Admin API request failed', { error });
  res.status(500).json({ error: { code: 'internal', message: 'Something went wrong on our side. Try again.' } });
}
