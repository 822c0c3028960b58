import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { startServer, type TestServer } from './harness';

/** What the server hands out without sign-in: the web client and the desktop app's update feed. */
describe('files served as they are', () => {
  let server: TestServer;
  let folder: string;
  const installer = Buffer.from(Array.from({ length: 4096 }, (_, i) => i % 251));

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'hi-msg-static-'));
    const web = join(folder, 'web');
    mkdirSync(join(web, 'assets'), { recursive: true });
    writeFileSync(join(web, 'index.html'), '<!doctype html><title>하이메시지</title><div id="root"></div>');
    writeFileSync(join(web, 'assets', 'app.js'), 'console.log("하이");');
    server = await startServer('sqlite', { env: { WEB_DIR: web } });
    // The feed's folder (DATA_DIR/updates), where IT copies a release.
    const updates = join(server.dataDir, 'updates');
    writeFileSync(join(updates, 'latest.yml'), 'version: 1.2.0\npath: Hi_Msg-Setup-1.2.0.exe\n');
    writeFileSync(join(updates, 'Hi_Msg-Setup-1.2.0.exe'), installer);
    writeFileSync(join(updates, '.secret'), 'not for anyone');
  });
  afterAll(async () => {
    await server.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it('serves the web client at / and its assets, cached for an hour', async () => {
    const page = await request(server.url).get('/');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.text).toContain('하이메시지');
    const script = await request(server.url).get('/assets/app.js');
    expect(script.status).toBe(200);
    expect(script.headers['content-type']).toMatch(/javascript/);
    expect(script.headers['cache-control']).toBe('public, max-age=3600');
    expect(script.text).toContain('하이');
  });

  it('answers the client’s own routes with its index.html; the API, the feed and missing files get NOT_FOUND', async () => {
    const route = await request(server.url).get('/rooms/2b1c3d4e-5f60-4a7b-8c9d-0e1f2a3b4c5d');
    expect(route.status).toBe(200);
    expect(route.text).toContain('<div id="root">');
    for (const path of ['/api/no-such-route', '/updates/no-such-file.yml', '/assets/missing.js.map']) {
      const res = await request(server.url).get(path);
      expect([path, res.status, res.body.error?.code]).toEqual([path, 404, 'NOT_FOUND']);
    }
  });

  it('serves the update feed: descriptions never cached, installers in ranges, dotfiles not at all', async () => {
    const feed = await request(server.url).get('/updates/latest.yml');
    expect(feed.status).toBe(200);
    expect(feed.headers['cache-control']).toBe('no-cache');
    expect(feed.headers['x-content-type-options']).toBe('nosniff');
    expect(feed.text).toContain('version: 1.2.0');

    const part = await request(server.url)
      .get('/updates/Hi_Msg-Setup-1.2.0.exe')
      .set('Range', 'bytes=100-199')
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      });
    expect(part.status).toBe(206);
    expect(part.headers['content-range']).toBe(`bytes 100-199/${installer.length}`);
    expect(part.headers['cache-control']).toBe('public, max-age=3600');
    expect(Buffer.compare(part.body as Buffer, installer.subarray(100, 200))).toBe(0);

    const hidden = await request(server.url).get('/updates/.secret');
    expect(hidden.status).toBe(404);
    expect(hidden.text).not.toContain('not for anyone');
  });
});
