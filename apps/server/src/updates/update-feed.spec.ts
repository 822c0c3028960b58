import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dialects, startServer, type TestServer } from '../../test/harness';
import { updateFeedDir } from './update-feed';

// The feed never touches the database; it runs on each dialect because the whole app starts.
describe.each(dialects())('update feed at /updates/ (%s)', (dialect) => {
  let server: TestServer;
  const installer = Buffer.from('MZ' + 'x'.repeat(4094));

  beforeAll(async () => {
    server = await startServer(dialect);
    const dir = join(server.dataDir, 'updates');
    writeFileSync(join(dir, 'latest.yml'), 'version: 1.2.0\npath: Hi_Msg-1.2.0-win-x64.exe\n');
    writeFileSync(join(dir, 'Hi_Msg-1.2.0-win-x64.exe'), installer);
    writeFileSync(join(dir, '.env'), 'SECRET=1');
  });
  afterAll(() => server.close());

  it('serves the feed description without sign-in and uncached', async () => {
    const res = await fetch(`${server.url}/updates/latest.yml`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expect(await res.text()).toContain('version: 1.2.0');
  });

  it('serves installers with Range support for differential downloads', async () => {
    const res = await fetch(`${server.url}/updates/Hi_Msg-1.2.0-win-x64.exe`, { headers: { Range: 'bytes=0-1' } });
    expect(res.status).toBe(206);
    expect(await res.text()).toBe('MZ');
  });

  it('answers 404 in the error envelope for a missing file, a dotfile or a path outside the folder', async () => {
    for (const path of ['/updates/nope.yml', '/updates/.env', '/updates/..%2Fjwt-secret', '/updates/']) {
      const res = await fetch(`${server.url}${path}`);
      expect([path, res.status]).toEqual([path, 404]);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('NOT_FOUND');
    }
  });

  it('takes its folder from UPDATE_DIR, else DATA_DIR/updates', () => {
    expect(updateFeedDir({ dataDir: '/srv/hi-msg/data' }, {})).toBe('/srv/hi-msg/data/updates');
    expect(updateFeedDir({ dataDir: '/srv/hi-msg/data' }, { UPDATE_DIR: '/srv/releases' })).toBe('/srv/releases');
  });
});
