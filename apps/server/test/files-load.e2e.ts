import { randomBytes } from 'node:crypto';
import { createReadStream, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { MAX_FILE_BYTES } from '@hi-msg/contracts';
import sharp from 'sharp';
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

/** Ten uploads of one sample at once: seconds taken and RSS before and at peak. */
async function measure(server: TestServer, user: TestUser, path: string, ext: string) {
  // Warm up the route (lazy imports, first DB statements, sharp) so the baseline is steady.
  expect(await streamUpload(server, user, path, `warm.${ext}`)).toBe(201);
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 10);
  const started = process.hrtime.bigint();
  const statuses = await Promise.all(Array.from({ length: CONCURRENT }, (_, i) => streamUpload(server, user, path, `load-${i}.${ext}`)));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  expect(statuses).toEqual(Array(CONCURRENT).fill(201));
  const mb = (n: number) => n / 1024 / 1024;
  const size = statSync(path).size;
  console.log(
    `${CONCURRENT} concurrent ${ext} uploads of ${mb(size).toFixed(1)} MB: ${seconds.toFixed(2)} s, ${(mb(CONCURRENT * size) / seconds).toFixed(1)} MB/s; ` +
      `RSS baseline ${mb(baseline).toFixed(0)} MB, peak ${mb(peak).toFixed(0)} MB (+${mb(peak - baseline).toFixed(0)} MB)`,
  );
  return { growthMb: mb(peak - baseline) };
}

// Measures the server in this process: the client streams from disk, so growth is the server's.
describe('ten concurrent uploads (sqlite)', () => {
  let server: TestServer;
  let user: TestUser;
  let dir: string;

  beforeAll(async () => {
    server = await startServer('sqlite');
    user = await createActiveUser(server);
    dir = mkdtempSync(join(tmpdir(), 'hi-msg-load-'));
  });
  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps memory flat while 10 MB files stream to disk', async () => {
    const sample = join(dir, 'ten-mb.zip');
    // Just under the cap once the zip framing is added; random bytes so nothing compresses.
    writeFileSync(sample, makeZip([{ name: 'data.bin', data: randomBytes(MAX_FILE_BYTES - 200) }]));
    const { growthMb } = await measure(server, user, sample, 'zip');
    // Buffering the files would cost at least their 100 MB; streaming stays well under that.
    expect(growthMb).toBeLessThan(60);
  });

  it('bounds memory while large photos are previewed', async () => {
    const photo = join(dir, 'photo.jpg');
    const w = 4000;
    const h = 3000;
    writeFileSync(photo, await sharp(randomBytes(w * h * 3), { raw: { width: w, height: h, channels: 3 } }).jpeg({ quality: 70 }).toBuffer());
    const flat = join(dir, 'flat.png');
    // 40 megapixels in half a megabyte: decoding it whole would take 120 MB per upload.
    writeFileSync(flat, await sharp({ create: { width: 7000, height: 5700, channels: 3, background: '#336699' } }).png().toBuffer());
    const results = [await measure(server, user, photo, 'jpg'), await measure(server, user, flat, 'png')];
    for (const r of results) expect(r.growthMb).toBeLessThan(200);
  });
});
