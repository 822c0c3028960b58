import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import fastifyStatic from '@fastify/static';
import { type INestApplication, type LogLevel } from '@nestjs/common';
import { HttpAdapterHost, NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppModule } from './app.module';
import { AppError } from './common/app-error';
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

/** Largest JSON body a route accepts; uploads stream past it (multipart is read by the files service). */
const JSON_BODY_LIMIT = 256 * 1024;

/**
 * Build the whole server (REST, Socket.IO, web client) without listening; main.ts and the tests
 * share it. HTTP runs on Fastify: Nest over Express cost about 70 µs of CPU more per request
 * (docs/BENCHMARKS.md, item 31).
 */
export async function createApp(config: AppConfig): Promise<INestApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: JSON_BODY_LIMIT,
    trustProxy: config.trustProxy ?? false,
    // `/api/users/` is `/api/users`, as it was under Express; a long path segment (a backup's
    // name) reaches its route, to be validated there.
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 500 },
    // A path that does not decode is the client's mistake, answered in the envelope too.
    frameworkErrors: (_err: Error, _req: FastifyRequest, reply: FastifyReply) => {
      void reply.code(400).send({ error: { code: 'VALIDATION_FAILED', message: 'The request path is not valid. Check the link or the id in it.' } });
    },
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), adapter, { bodyParser: false, logger: LEVELS[config.logLevel] });
  const fastify = app.getHttpAdapter().getInstance() as unknown as FastifyInstance;
  acceptBodies(fastify);
  app.useGlobalFilters(new ErrorEnvelopeFilter(app.get(HttpAdapterHost)));
  app.useWebSocketAdapter(new HiMsgIoAdapter(app, config));
  app.enableShutdownHooks();

  const openapi = buildOpenApi();
  fastify.get('/api/docs/openapi.json', async () => openapi);
  // The package's folder only: its main module evaluates the whole browser bundle in the server,
  // which cost 0.3 s of every start and 29 MB of resident memory (docs/BENCHMARKS.md, item 22).
  const swaggerDir = dirname(require.resolve('swagger-ui-dist/package.json'));
  await app.register(fastifyStatic, { root: swaggerDir, prefix: '/api/docs/assets/', index: false, decorateReply: false });
  fastify.get('/api/docs', (_req, reply) => {
    void reply
      .type('text/html; charset=utf-8')
      .send(
        '<!doctype html><html><head><meta charset="utf-8"><title>Hi_Msg API</title><link rel="stylesheet" href="/api/docs/assets/swagger-ui.css"></head>' +
          '<body><div id="ui"></div><script src="/api/docs/assets/swagger-ui-bundle.js"></script><script src="/api/docs/assets/docs-init.js"></script></body></html>',
      );
  });
  fastify.get('/api/docs/assets/docs-init.js', (_req, reply) => {
    void reply.type('application/javascript; charset=utf-8').send("window.ui = SwaggerUIBundle({ url: '/api/docs/openapi.json', dom_id: '#ui' });");
  });

  await mountUpdateFeed(app, config);

  // The web client: the desktop renderer built as a web app, served at `/`. Any other page is
  // the client's own route, answered with its index.html; not the API's, the feed's, nor a
  // missing file's (a name with an extension), which are the envelope's NOT_FOUND.
  const webDir = config.webDir ?? join(__dirname, '..', '..', 'desktop', 'dist', 'renderer');
  if (existsSync(join(webDir, 'index.html'))) {
    await app.register(fastifyStatic, { root: webDir, prefix: '/', index: 'index.html', maxAge: '1h', wildcard: false });
    fastify.get('/*', (req, reply) => {
      const path = req.url.split('?')[0]!;
      if (/^\/(api|socket\.io|updates)(\/|$)/.test(path) || /\.[^/]*$/.test(path)) return reply.callNotFound();
      return reply.sendFile('index.html', { maxAge: 0 });
    });
  }
  return app;
}

/**
 * JSON bodies through Fastify's own parser (which refuses prototype poisoning), answered as the
 * envelope's MALFORMED_JSON when they do not parse and, as before, only objects and arrays at
 * the top. Multipart bodies are left unread for the files service to stream.
 */
function acceptBodies(fastify: FastifyInstance): void {
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  fastify.removeContentTypeParser('application/json');
  fastify.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: JSON_BODY_LIMIT }, (req, body, done) => {
    const text = String(body);
    const first = /\S/.exec(text)?.[0];
    if (first === undefined) return done(null, undefined);
    const malformed = () => new AppError('MALFORMED_JSON', 'The request body is not valid JSON.');
    if (first !== '{' && first !== '[') return done(malformed(), undefined);
    void parseJson(req, text, (err, value) => (err ? done(malformed(), undefined) : done(null, value)));
  });
  fastify.addContentTypeParser('multipart/form-data', (_req, _payload, done) => done(null));
}
