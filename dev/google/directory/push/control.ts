// The control API of the stand-in's push side, meant for /__control/directory/push: turn delivery on or off, inject
// delivery faults, grant channels a shorter life, post forged notifications, and read channels and deliveries.
import express, { type Request, type Response } from 'express';
import { z } from 'zod';
import { FORGERIES, ForgeryError, type DirectoryPush } from './hub.ts';

const deliveryBody = z.strictObject({ enabled: z.boolean() });
const faultsBody = z.strictObject({
  drop: z.number().int().nonnegative().optional(),
  duplicate: z.number().int().nonnegative().optional(),
  reorder: z.number().int().nonnegative().optional(),
});
const lifetimeBody = z.strictObject({ maxMs: z.number().int().positive().nullable() });
const forgeBody = z.strictObject({
  as: z.enum(FORGERIES),
  channelId: z.string().min(1),
  userId: z.string().optional(),
});

function parsed<T>(schema: z.ZodType<T>, req: Request, res: Response): T | undefined {
  const result = schema.safeParse(req.body);
  if (result.success) return result.data;
  res.status(400).json({ error: result.error.issues.map((issue) => issue.message).join('; ') });
  return undefined;
}

/** Creates the router: GET /, POST /delivery, /faults, /lifetime, /forge, /idle. */
export function createPushControl(push: DirectoryPush): express.Router {
  const router = express.Router();
  router.use(express.json());

  // Channels without their tokens: the control API shows what Google would, and a token is the receiver's secret.
  router.get('/', (_req: Request, res: Response) => {
    const now = push.now();
    res.json({
      delivery: push.delivery.enabled ? 'on' : 'off',
      pendingFaults: push.delivery.pendingFaults(),
      channels: push.channels.all().map(({ token: _token, ...channel }) => ({
        ...channel,
        live: channel.stoppedAt === undefined && channel.expiration > now,
      })),
      deliveries: push.delivery.log(),
    });
  });

  router.post('/delivery', (req: Request, res: Response) => {
    const body = parsed(deliveryBody, req, res);
    if (!body) return;
    push.delivery.setEnabled(body.enabled);
    res.json({ delivery: body.enabled ? 'on' : 'off' });
  });

  router.post('/faults', (req: Request, res: Response) => {
    const body = parsed(faultsBody, req, res);
    if (!body) return;
    push.delivery.inject(body);
    res.json({ pendingFaults: push.delivery.pendingFaults() });
  });

  router.post('/lifetime', (req: Request, res: Response) => {
    const body = parsed(lifetimeBody, req, res);
    if (!body) return;
    push.grantAtMost(body.maxMs ?? undefined);
    res.json({ maxMs: body.maxMs });
  });

  router.post('/forge', async (req: Request, res: Response) => {
    const body = parsed(forgeBody, req, res);
    if (!body) return;
    try {
      res.json({ status: await push.forge(body.as, body.channelId, body.userId) });
    } catch (error) {
      if (!(error instanceof ForgeryError)) throw error;
      res.status(409).json({ error: error.message });
    }
  });

  // Answers once every notification has been delivered or given up.
  router.post('/idle', async (_req: Request, res: Response) => {
    await push.delivery.idle();
    res.json({ ok: true });
  });

  return router;
}
