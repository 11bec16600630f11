// A stand-in for the Cloud Scheduler REST API (v1), enough for the real @google-cloud/scheduler client in fallback
// (HTTP/JSON) mode: get, create and update (PATCH) of jobs. Cloud Scheduler has no emulator.
import express, { type Express, type Request, type Response } from 'express';

/** A stored job, as the REST API returns it. */
export type StoredJob = Record<string, unknown> & { readonly name: string };

const notFound = (res: Response, name: string) =>
  res.status(404).json({ error: { code: 404, message: `Job not found: ${name}`, status: 'NOT_FOUND' } });

/** In-memory jobs, keyed by full resource name, with a count of writes so tests can prove a re-apply wrote nothing. */
export class SchedulerStandIn {
  readonly jobs = new Map<string, StoredJob>();
  writes = 0;

  /** The express app serving the REST API. */
  app(): Express {
    const app = express();
    app.use(express.json({ limit: '1mb' }));
    const jobName = (req: Request) =>
      `projects/${String(req.params['project'])}/locations/${String(req.params['location'])}/jobs/${String(req.params['job'])}`;
    app.get('/v1/projects/:project/locations/:location/jobs/:job', (req, res) => {
      const job = this.jobs.get(jobName(req));
      if (!job) {
        notFound(res, jobName(req));
        return;
      }
      res.json(job);
    });
    app.post('/v1/projects/:project/locations/:location/jobs', (req, res) => {
      const body = req.body as StoredJob;
      if (this.jobs.has(body.name)) {
        res.status(409).json({ error: { code: 409, message: 'Job exists', status: 'ALREADY_EXISTS' } });
        return;
      }
      const job = { ...body, state: 'ENABLED', userUpdateTime: new Date().toISOString() };
      this.jobs.set(body.name, job);
      this.writes += 1;
      res.json(job);
    });
    app.patch('/v1/projects/:project/locations/:location/jobs/:job', (req, res) => {
      const current = this.jobs.get(jobName(req));
      if (!current) {
        notFound(res, jobName(req));
        return;
      }
      const job = {
        ...current,
        ...(req.body as Record<string, unknown>),
        name: current.name,
        userUpdateTime: new Date().toISOString(),
      };
      this.jobs.set(current.name, job);
      this.writes += 1;
      res.json(job);
    });
    return app;
  }
}
