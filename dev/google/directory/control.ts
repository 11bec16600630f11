// The JSON control API of the Directory stand-in, meant for /__control/directory: swap the fixture, inject
// faults and latency, move the clock, switch paging quirks, read call counters.
import express, { type NextFunction, type Request, type Response } from 'express';
import { z } from 'zod';
import { FixtureError, parseFixture } from '../fixture/load.ts';
import type { FixtureStore } from '../fixture/store.ts';
import { DIRECTORY_METHODS, type DirectoryFaults } from './faults.ts';
import type { DirectoryPush } from './push/hub.ts';

/** What the control API acts on. */
export interface DirectoryControlOptions {
  fixtures: FixtureStore;
  faults: DirectoryFaults;
  push: DirectoryPush;
}

const faultBody = z.strictObject({
  method: z.enum(DIRECTORY_METHODS).optional(),
  status: z.union([z.literal(403), z.literal(429), z.literal(500), z.literal(503)]),
  reason: z.string().min(1).optional(),
  times: z.number().int().positive().default(1),
  onlyPaged: z.boolean().optional(),
  effect: z.enum(['error', 'repeat-page-token']).optional(),
});

const latencyBody = z.strictObject({ ms: z.number().nonnegative(), method: z.enum(DIRECTORY_METHODS).optional() });

const clockBody = z.strictObject({ advanceMs: z.number().nonnegative() });

const quirksBody = z.strictObject({ trailingEmptyPage: z.boolean() });

function invalid(res: Response, message: string): void {
  res.status(400).json({ error: message });
}

function zodMessage(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`).join('; ');
}

/** Creates the control router: PUT/GET /fixture, POST /faults, POST /latency, POST /clock, POST /quirks, POST /reset,
 * GET /stats. */
export function createDirectoryControl(options: DirectoryControlOptions): express.Router {
  const { fixtures, faults, push } = options;
  const router = express.Router();
  // Benchmarks post fixtures with tens of thousands of users.
  router.use(express.json({ limit: '200mb' }));

  router.put('/fixture', (req: Request, res: Response) => {
    try {
      const orgs = parseFixture(req.body, 'posted to /fixture');
      fixtures.replace(orgs);
      res.json({
        organisations: orgs.length,
        users: orgs.reduce((sum, org) => sum + org.users.length, 0),
        version: fixtures.version,
      });
    } catch (error) {
      if (error instanceof FixtureError) {
        invalid(res, error.message);
        return;
      }
      throw error;
    }
  });

  router.get('/fixture', (_req: Request, res: Response) => {
    res.json(fixtures.organisations);
  });

  router.post('/faults', (req: Request, res: Response) => {
    const parsed = faultBody.safeParse(req.body);
    if (!parsed.success) {
      invalid(res, zodMessage(parsed.error));
      return;
    }
    faults.inject(parsed.data);
    res.json({ pending: faults.pending() });
  });

  router.post('/latency', (req: Request, res: Response) => {
    const parsed = latencyBody.safeParse(req.body);
    if (!parsed.success) {
      invalid(res, zodMessage(parsed.error));
      return;
    }
    faults.setLatency(parsed.data.ms, parsed.data.method);
    res.json({ ok: true });
  });

  // Ages every page token issued so far, as the days passing between two pages of a listing would.
  router.post('/clock', (req: Request, res: Response) => {
    const parsed = clockBody.safeParse(req.body);
    if (!parsed.success) {
      invalid(res, zodMessage(parsed.error));
      return;
    }
    faults.advanceClock(parsed.data.advanceMs);
    res.json({ now: new Date(faults.now()).toISOString() });
  });

  router.post('/quirks', (req: Request, res: Response) => {
    const parsed = quirksBody.safeParse(req.body);
    if (!parsed.success) {
      invalid(res, zodMessage(parsed.error));
      return;
    }
    faults.setTrailingEmptyPage(parsed.data.trailingEmptyPage);
    res.json({ quirks: { trailingEmptyPage: faults.listingConditions().trailingEmptyPage } });
  });

  // Clears faults, latency, counters, the clock's advance, the quirks and push delivery faults; with
  // {"fixture": true} also restores the fixture served at start.
  router.post('/reset', (req: Request, res: Response) => {
    faults.reset();
    push.reset();
    const body: unknown = req.body;
    if (typeof body === 'object' && body !== null && (body as { fixture?: unknown }).fixture === true) fixtures.reset();
    res.json({ ok: true, version: fixtures.version });
  });

  router.get('/stats', (_req: Request, res: Response) => {
    res.json({ ...faults.stats(), pending: faults.pending() });
  });

  // Bodies that are not JSON get the same {"error"} answer as bodies that fail validation.
  router.use((error: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent || !(error instanceof SyntaxError)) {
      next(error);
      return;
    }
    invalid(res, `body is not valid JSON: ${error.message}`);
  });

  return router;
}
