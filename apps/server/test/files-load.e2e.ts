import { randomBytes } from 'node:crypto';
import { createReadStream, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { MAX_FILE_BYTES } from '@hi-msg/contracts';
import { createActiveUser, type TestUser } from './fixtures';
import { makeZip } from './fixtures/files/samples';
import { startServer, type TestServer } from './harness';

const CONCURRENT = 10;

/** Stream one multipart upload from disk, so the client side holds no file in memory. */
function streamUpload(server: TestServer, user: TestUser, path: string, name: string): Promise<number> {
  const boundary = `load-${randomBytes(8).toString('hex')}`;
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: application/zip\r\n\r\n`);
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const length = head.length + statSync(path).size + tail.length;
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${server.url}/api/upload-file`, {
      method: 'POST',
      headers: { authorization: `Bearer ${user.accessToken}`, 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': String(length) },
    });
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.write(head);
    pipeline(createReadStream(path), req, { end: false })
      .then(() => req.end(tail))
      .catch(reject);
  });
}

// Measures the server in this process: the client streams from disk, so growth is the server's.
describe('ten concurrent 10 MB uploads (sqlite)', () => {
  let server: TestServer;
  let user: TestUser;
  let dir: string;
  let sample: string;

  beforeAll(async () => {
    server = await startServer('sqlite');
    user = await createActiveUser(server);
    dir = mkdtempSync(join(tmpdir(), 'hi-msg-load-'));
    sample = join(dir, 'ten-mb.zip');
    // Just under the cap once the zip framing is added; random bytes so nothing compresses.
    writeFileSync(sample, makeZip([{ name: 'data.bin', data: randomBytes(MAX_FILE_BYTES - 200) }]));
  });
  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps memory flat while the bytes stream to disk', async () => {
    // Warm up the route (lazy imports, first DB statements) so the baseline is steady.
    expect(await streamUpload(server, user, sample, 'warm.zip')).toBe(201);
    global.gc?.();
    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 10);
    const started = process.hrtime.bigint();
    const statuses = await Promise.all(Array.from({ length: CONCURRENT }, (_, i) => streamUpload(server, user, sample, `load-${i}.zip`)));
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().rss);

    expect(statuses).toEqual(Array(CONCURRENT).fill(201));
    const megabytes = (CONCURRENT * statSync(sample).size) / 1024 / 1024;
    const growth = (peak - baseline) / 1024 / 1024;
    console.log(
      `${CONCURRENT} concurrent uploads of ${(statSync(sample).size / 1024 / 1024).toFixed(1)} MB: ${seconds.toFixed(2)} s, ` +
        `${(megabytes / seconds).toFixed(1)} MB/s; RSS baseline ${(baseline / 1024 / 1024).toFixed(0)} MB, peak ${(peak / 1024 / 1024).toFixed(0)} MB (+${growth.toFixed(0)} MB)`,
    );
    // Buffering the files would cost at least their 100 MB; streaming stays well under that.
    expect(growth).toBeLessThan(60);
  });
});
