import { mkdirSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
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
 * seen at the next check; Range requests work for differential downloads. A file not in the
 * folder is the envelope's NOT_FOUND, never the web client's index.html.
 */
export async function mountUpdateFeed(app: NestFastifyApplication, config: Pick<AppConfig, 'dataDir'>, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const dir = updateFeedDir(config, env);
  mkdirSync(dir, { recursive: true });
  await app.register(fastifyStatic, {
    root: dir,
    prefix: '/updates/',
    decorateReply: false,
    index: false,
    dotfiles: 'ignore',
    redirect: false,
    setHeaders: (reply, path) => {
      void reply.header('X-Content-Type-Options', 'nosniff').header('Cache-Control', /\.ya?ml$/i.test(path) ? 'no-cache' : 'public, max-age=3600');
    },
  });
  return dir;
}
