import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { type INestApplication, type LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import express, { type NextFunction, type Request, type Response } from 'express';
import { AppModule } from './app.module';
import { ErrorEnvelopeFilter } from './common/error.filter';
import type { AppConfig } from './config/config';
import { buildOpenApi } from './docs/openapi';
import { HiMsgIoAdapter } from './realtime/io.adapter';
import { mountUpdateFeed } from './updates/update-feed';

const LEVELS: Record<AppConfig['logLevel'], LogLevel[]> = {
  error: ['fatal', 'error'],
  warn: ['fatal', 'error', 'warn'],
  log: ['fatal', 'error', 'warn', 'log'],
  debug: ['fatal', 'error', 'warn', 'log', 'debug'],
};

/** Build the whole server (REST, Socket.IO, web client) without listening; main.ts and the tests share it. */
export async function createApp(config: AppConfig): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    bodyParser: false,
    logger: LEVELS[config.logLevel],
  });
  if (config.trustProxy) app.set('trust proxy', config.trustProxy);
  app.disable('x-powered-by');
  // API answers are per user and change with every message: hashing each body for an ETag only costs CPU.
  // The web client's static files keep theirs (served by express.static).
  app.disable('etag');
  app.use(express.json({ limit: '256kb', strict: true }));
  // Body-parser failures answer here, before Nest would flatten them into a bare 400.
  app.use((err: { type?: string }, _req: Request, res: Response, next: NextFunction): void => {
    if (err?.type === 'entity.parse.failed') res.status(400).json({ error: { code: 'MALFORMED_JSON', message: 'The request body is not valid JSON.' } });
    else if (err?.type === 'entity.too.large') res.status(413).json({ error: { code: 'PAYLOAD_TOO_LARGE', message: 'The request body is too large.' } });
    else if (err?.type) res.status(400).json({ error: { code: 'VALIDATION_FAILED', message: 'The request body could not be read.' } });
    else next(err);
  });
  app.useGlobalFilters(new ErrorEnvelopeFilter());
  app.useWebSocketAdapter(new HiMsgIoAdapter(app, config));
  app.enableShutdownHooks();

  const openapi = buildOpenApi();
  app.use('/api/docs/openapi.json', (_req: Request, res: Response) => res.json(openapi));
  // The package's folder only: its main module evaluates the whole browser bundle in the server,
  // which cost 0.3 s of every start and 29 MB of resident memory (docs/BENCHMARKS.md, item 22).
  const swaggerDir = dirname(require.resolve('swagger-ui-dist/package.json'));
  app.use('/api/docs/assets', express.static(swaggerDir, { index: false }));
  app.use('/api/docs', (req: Request, res: Response, next: NextFunction) => {
    if (req.path !== '/' && req.path !== '') return next();
    res.type('html').send(
      '<!doctype html><html><head><meta charset="utf-8"><title>Hi_Msg API</title><link rel="stylesheet" href="/api/docs/assets/swagger-ui.css"></head>' +
        '<body><div id="ui"></div><script src="/api/docs/assets/swagger-ui-bundle.js"></script><script src="/api/docs/assets/docs-init.js"></script></body></html>',
    );
  });
  app.use('/api/docs/assets/docs-init.js', (_req: Request, res: Response) =>
    res.type('js').send("window.ui = SwaggerUIBundle({ url: '/api/docs/openapi.json', dom_id: '#ui' });"),
  );

  // The desktop update feed, before the web client's index.html fallback.
  mountUpdateFeed(app, config);

  // The web client: the desktop renderer built as a web app, served at `/`.
  const webDir = config.webDir ?? join(__dirname, '..', '..', 'desktop', 'dist', 'renderer');
  if (existsSync(join(webDir, 'index.html'))) {
    app.use(express.static(webDir, { index: 'index.html', maxAge: '1h' }));
    app.use((req: Request, res: Response, next: NextFunction) => {
      if (req.method !== 'GET' || req.path.startsWith('/api') || req.path.startsWith('/socket.io')) return next();
      res.sendFile(join(webDir, 'index.html'));
    });
  }
  return app;
}
