import { mkdirSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import express, { type Request, type Response } from 'express';
import { z } from 'zod';
import type { AppConfig } from '../config/config';

const UpdateEnv = z.object({ UPDATE_DIR: z.string().min(1).optional() });

/** The folder IT copies release files into (latest.yml, installers, blockmaps): UPDATE_DIR, else DATA_DIR/updates. */
export function updateFeedDir(config: Pick<AppConfig, 'dataDir'>, env: NodeJS.ProcessEnv = process.env): string {
  const { UPDATE_DIR } = UpdateEnv.parse(env);
  if (!UPDATE_DIR) return join(config.dataDir, 'updates');
  return isAbsolute(UPDATE_DIR) ? UPDATE_DIR : resolve(process.cwd(), UPDATE_DIR);
}

/**
 * Serve the desktop app's update feed at /updates/ as plain static files, without sign-in (the
 * updater runs before anyone signs in). Feed descriptions are never cached, so a new release is
 * seen at the next check; Range requests work for differential downloads.
 */
export function mountUpdateFeed(app: INestApplication, config: Pick<AppConfig, 'dataDir'>, env: NodeJS.ProcessEnv = process.env): string {
  const dir = updateFeedDir(config, env);
  mkdirSync(dir, { recursive: true });
  app.use(
    '/updates',
    express.static(dir, {
      index: false,
      dotfiles: 'ignore',
      redirect: false,
      setHeaders: (res: Response, path: string) => {
        res.setHeader('X-Content-Type-Options', 'nosniff');
        res.setHeader('Cache-Control', /\.ya?ml$/i.test(path) ? 'no-cache' : 'public, max-age=3600');
      },
    }),
  );
  // Anything not in the folder ends here, rather than in the web client's index.html fallback.
  app.use('/updates', (_req: Request, res: Response) => {
    res.status(404).json({ error: { code: 'NOT_FOUND', message: 'No such file in the update feed.' } });
  });
  return dir;
}
