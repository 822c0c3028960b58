import { createHash, randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join, relative } from 'node:path';
import { ALLOWED_FILE_TYPES, MAX_FILE_BYTES } from '@hi-msg/contracts';
import sharp from 'sharp';
import request from 'supertest';
import { FileEntity } from '../src/database/entities';
import { FilesCleanup } from '../src/files/files.cleanup';
import { FilesRepository } from '../src/files/files.repository';
import { FilesService } from '../src/files/files.service';
import { createActiveUser, type TestUser } from './fixtures';
import { allSamples, fileRow, makeImage, makeOoxml, makePdf, seedMessage, seedRoom } from './fixtures/files/samples';
import { dialects, startServer, type TestServer } from './harness';

/** Every file under UPLOAD_DIR, relative to it. */
function storedFiles(server: TestServer): string[] {
  const root = server.config.uploadDir;
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [relative(root, join(dir, e.name))]));
  return walk(root);
}

function upload(server: TestServer, user: TestUser, data: Buffer, filename: string) {
  return request(server.url).post('/api/upload-file').set('Authorization', `Bearer ${user.accessToken}`).attach('file', data, { filename, contentType: 'application/octet-stream' });
}

/** A multipart upload whose file name is sent as RFC 5987 `filename*`, so any character (NUL too) can reach the server. */
function uploadNamed(server: TestServer, user: TestUser, data: Buffer, name: string) {
  const boundary = 'hi-msg-test-boundary';
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename*=UTF-8''${encodeURIComponent(name)}\r\nContent-Type: application/octet-stream\r\n\r\n`;
  const body = Buffer.concat([Buffer.from(head), data, Buffer.from(`\r\n--${boundary}--\r\n`)]);
  return request(server.url).post('/api/upload-file').set('Authorization', `Bearer ${user.accessToken}`).set('Content-Type', `multipart/form-data; boundary=${boundary}`).send(body);
}

function download(server: TestServer, user: TestUser, id: string, preview = false) {
  return request(server.url)
    .get(`/api/download-file/${id}${preview ? '?preview=1' : ''}`)
    .set('Authorization', `Bearer ${user.accessToken}`)
    .buffer(true)
    .parse((res, cb) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => cb(null, Buffer.concat(chunks)));
    });
}

/** The name a client reads from Content-Disposition's filename*. */
function dispositionName(header: string): string {
  const m = /filename\*=UTF-8''([^;]+)/.exec(header);
  if (!m) throw new Error(`no filename* in ${header}`);
  return decodeURIComponent(m[1]);
}

async function rowCount(server: TestServer): Promise<number> {
  return server.db.manager.count(FileEntity);
}

describe.each(dialects())('files on %s', (dialect) => {
  let server: TestServer;
  let alice: TestUser;
  let bob: TestUser;
  let carol: TestUser;

  beforeAll(async () => {
    server = await startServer(dialect);
    alice = await createActiveUser(server, { name: '김앨리스' });
    bob = await createActiveUser(server, { name: '박밥' });
    carol = await createActiveUser(server, { name: '최캐롤' });
  });
  afterAll(async () => {
    await server.close();
  });

  it('accepts each of the 14 types from a real sample, storing the bytes under a random sharded name', async () => {
    const samples = await allSamples();
    expect(Object.keys(samples).sort()).toEqual(Object.keys(ALLOWED_FILE_TYPES).sort());
    for (const [ext, data] of Object.entries(samples)) {
      const res = await upload(server, alice, data, `sample.${ext}`);
      expect({ ext, status: res.status }).toEqual({ ext, status: 201 });
      const isImage = ['png', 'jpg', 'jpeg', 'gif'].includes(ext);
      expect(res.body.file).toEqual({ id: expect.any(String), name: `sample.${ext}`, mime: ALLOWED_FILE_TYPES[ext as keyof typeof ALLOWED_FILE_TYPES], size: data.length, hasPreview: isImage });
      const row = await fileRow(server, res.body.file.id);
      expect(row?.storedPath).toMatch(/^[0-9a-f]{2}\/[0-9a-f]{32}$/);
      expect(row?.storedPath.slice(0, 2)).toBe(row?.storedPath.slice(3, 5));
      expect(row?.sha256).toBe(createHash('sha256').update(data).digest('hex'));
      expect(row?.messageId).toBeNull();
      expect(readFileSync(join(server.config.uploadDir, row!.storedPath)).equals(data)).toBe(true);
      // The uploader can fetch it back before sending it.
      const back = await download(server, alice, res.body.file.id);
      expect(back.status).toBe(200);
      expect((back.body as Buffer).equals(data)).toBe(true);
    }
  });

  it('previews images at most 320 px, served inline with the true type', async () => {
    const big = await makeImage('jpeg', 1600, 900);
    const res = await upload(server, alice, big, '사진.jpg');
    expect(res.body.file.hasPreview).toBe(true);
    const preview = await download(server, alice, res.body.file.id, true);
    expect(preview.status).toBe(200);
    expect(preview.headers['content-type']).toBe('image/jpeg');
    const meta = await sharp(preview.body as Buffer).metadata();
    expect(Math.max(meta.width!, meta.height!)).toBe(320);
    expect((preview.body as Buffer).length).toBeLessThan(big.length);
  });

  it.each([
    ['an .exe renamed to .png', Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff', 'latin1'), Buffer.alloc(200)]), 'setup.png'],
    ['an .html renamed to .png', Buffer.from('<!doctype html><html><body><script>alert(1)</script></body></html>'), 'page.png'],
    ['an .svg renamed to .png', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><circle r="5"/></svg>'), 'icon.png'],
    ['a docx renamed to .xlsx', makeOoxml('docx'), 'report.xlsx'],
    ['a pdf renamed to .docx', makePdf(), 'report.docx'],
    ['Latin-1 text as .txt', Buffer.from('caf\xe9 cr\xe8me', 'latin1'), 'menu.txt'],
    ['text with a NUL as .txt', Buffer.from('hello\x00world'), 'note.txt'],
    ['an .exe under its own name', Buffer.from('MZ\x90\x00'), 'setup.exe'],
    ['a name with no extension', Buffer.from('hello'), 'README'],
  ])('refuses %s with 415 and keeps nothing', async (_what, data, name) => {
    const before = storedFiles(server);
    const rows = await rowCount(server);
    const res = await upload(server, alice, data, name);
    expect(res.status).toBe(415);
    expect(res.body.error.code).toBe('FILE_TYPE_NOT_ALLOWED');
    expect(storedFiles(server)).toEqual(before);
    expect(await rowCount(server)).toBe(rows);
  });

  it('refuses 10 MB + 1 byte with 413 while it streams, leaving nothing on disk and no row', async () => {
    const before = storedFiles(server);
    const rows = await rowCount(server);
    const res = await upload(server, alice, Buffer.alloc(MAX_FILE_BYTES + 1, 0x61), 'big.txt');
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('FILE_TOO_LARGE');
    expect(storedFiles(server)).toEqual(before);
    expect(await rowCount(server)).toBe(rows);
  });

  it('answers STORAGE_FAILED at once when the upload folder cannot be written, leaving no row', async () => {
    const rows = await rowCount(server);
    const config = server.config as { uploadDir: string };
    const kept = config.uploadDir;
    // A regular file where the folder should be: every shard folder fails to be made.
    const blocker = join(kept, '..', `blocked-${randomUUID()}`);
    writeFileSync(blocker, 'x');
    config.uploadDir = join(blocker, 'uploads');
    try {
      const res = await upload(server, alice, Buffer.alloc(2 * 1024 * 1024, 0x61), '보고서.txt');
      expect(res.body.error).toMatchObject({ code: 'STORAGE_FAILED' });
      expect(res.status).toBe(503);
    } finally {
      config.uploadDir = kept;
    }
    expect(await rowCount(server)).toBe(rows);
  });

  it('accepts exactly 10 MB', async () => {
    const res = await upload(server, alice, Buffer.alloc(MAX_FILE_BYTES, 0x61), 'exact.txt');
    expect(res.status).toBe(201);
    expect(res.body.file.size).toBe(MAX_FILE_BYTES);
  });

  it('refuses a body declared far above the cap before reading it', async () => {
    const res = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = httpRequest(`${server.url}/api/upload-file`, {
        method: 'POST',
        headers: { authorization: `Bearer ${alice.accessToken}`, 'content-type': 'multipart/form-data; boundary=x', 'content-length': String(50 * 1024 * 1024) },
      });
      req.on('response', (r) => {
        let body = '';
        r.on('data', (c: Buffer) => (body += c.toString()));
        r.on('end', () => resolve({ status: r.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      req.write('--x\r\n');
    });
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body).error.code).toBe('FILE_TOO_LARGE');
  });

  it('removes the partial file when the client goes away mid-upload', async () => {
    const before = storedFiles(server);
    const rows = await rowCount(server);
    await new Promise<void>((resolve) => {
      const req = httpRequest(`${server.url}/api/upload-file`, {
        method: 'POST',
        headers: { authorization: `Bearer ${alice.accessToken}`, 'content-type': 'multipart/form-data; boundary=x', 'content-length': String(5 * 1024 * 1024) },
      });
      req.on('error', () => resolve());
      req.write('--x\r\nContent-Disposition: form-data; name="file"; filename="half.zip"\r\nContent-Type: application/zip\r\n\r\n');
      req.write(Buffer.alloc(1024 * 1024, 1), () => setTimeout(() => req.destroy(), 100));
    });
    const end = Date.now() + 5000;
    while (Date.now() < end && storedFiles(server).length !== before.length) await new Promise((r) => setTimeout(r, 50));
    expect(storedFiles(server)).toEqual(before);
    expect(await rowCount(server)).toBe(rows);
  });

  it('still accepts an image it cannot preview, without a preview', async () => {
    const broken = Buffer.concat([(await makeImage('png')).subarray(0, 64), Buffer.alloc(200, 7)]);
    const res = await upload(server, alice, broken, 'broken.png');
    expect(res.status).toBe(201);
    expect(res.body.file.hasPreview).toBe(false);
    const preview = await download(server, alice, res.body.file.id, true);
    expect(preview.status).toBe(200);
    expect((preview.body as Buffer).equals(broken)).toBe(true);
  });

  it('answers 400 for a body that is not one file in the field "file"', async () => {
    const auth = { Authorization: `Bearer ${alice.accessToken}` };
    const notMultipart = await request(server.url).post('/api/upload-file').set(auth).send({ file: 'x' });
    const noFile = await request(server.url).post('/api/upload-file').set(auth).field('name', 'x');
    const otherField = await request(server.url).post('/api/upload-file').set(auth).attach('attachment', Buffer.from('hi'), 'a.txt');
    const two = await request(server.url).post('/api/upload-file').set(auth).attach('file', Buffer.from('one'), 'a.txt').attach('file', Buffer.from('two'), 'b.txt');
    const empty = await request(server.url).post('/api/upload-file').set(auth).attach('file', Buffer.alloc(0), 'empty.txt');
    for (const res of [notMultipart, noFile, otherField, two, empty]) {
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
    }
    const unauthenticated = await request(server.url).post('/api/upload-file').attach('file', Buffer.from('hi'), 'a.txt');
    expect(unauthenticated.status).toBe(401);
  });

  it('keeps hostile names as data only and returns the sanitized original on download', async () => {
    const cases: [string, string][] = [
      ['../../etc/passwd.txt', 'passwd.txt'],
      ['..\\..\\windows\\win.ini.txt', 'win.ini.txt'],
      ['a\u0000b.txt', 'ab.txt'],
      ['invoice\u202Etxt.exe.txt', 'invoicetxt.exe.txt'],
      [`${'가'.repeat(300)}.txt`, `${'가'.repeat(83)}.txt`],
      [`${'x'.repeat(300)}.txt`, `${'x'.repeat(251)}.txt`],
    ];
    for (const [raw, expected] of cases) {
      const res = await uploadNamed(server, alice, Buffer.from('내용'), raw);
      expect({ raw, status: res.status, name: res.body.file?.name }).toEqual({ raw, status: 201, name: expected });
      expect(Buffer.byteLength(res.body.file.name)).toBeLessThanOrEqual(255);
      const row = await fileRow(server, res.body.file.id);
      expect(row?.storedPath).toMatch(/^[0-9a-f]{2}\/[0-9a-f]{32}$/);
      const back = await download(server, alice, res.body.file.id);
      expect(dispositionName(back.headers['content-disposition'])).toBe(expected);
    }
    // Nothing was written outside UPLOAD_DIR's shard folders.
    expect(storedFiles(server).every((p) => /^[0-9a-f]{2}\/[0-9a-f]{32}$/.test(p))).toBe(true);
  });

  it('round-trips a Korean name through filename*', async () => {
    // Sent raw in filename="…" as browsers do, not percent-encoded.
    const res = await upload(server, alice, makePdf(), '보고서 최종.pdf');
    expect(res.body.file.name).toBe('보고서 최종.pdf');
    const back = await download(server, alice, res.body.file.id);
    expect(back.headers['content-disposition']).toMatch(/^attachment; filename="[\x20-\x7e]+"; filename\*=UTF-8''/);
    expect(dispositionName(back.headers['content-disposition'])).toBe('보고서 최종.pdf');
  });

  it('serves a sent file to room members only: image inline, document attachment, both nosniff', async () => {
    const image = await upload(server, alice, await makeImage('png'), '화면.png');
    const doc = await upload(server, alice, makePdf(), '계약서.pdf');
    // Before it is sent, only the uploader may read it.
    const early = await download(server, bob, doc.body.file.id);
    expect(early.status).toBe(403);
    expect(early.body).toEqual(expect.any(Buffer));

    const roomId = await seedRoom(server, 'group', alice.id, [alice.id, bob.id]);
    await seedMessage(server, roomId, alice, null, image.body.file.id);
    await seedMessage(server, roomId, alice, '계약서입니다', doc.body.file.id);

    const img = await download(server, bob, image.body.file.id);
    expect(img.status).toBe(200);
    expect(img.headers['content-type']).toBe('image/png');
    expect(img.headers['content-disposition']).toMatch(/^inline;/);
    expect(img.headers['x-content-type-options']).toBe('nosniff');
    expect(img.headers['content-security-policy']).toContain("default-src 'none'");
    expect(Number(img.headers['content-length'])).toBe(image.body.file.size);

    const pdf = await download(server, bob, doc.body.file.id);
    expect(pdf.status).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.headers['content-disposition']).toMatch(/^attachment;/);
    expect(pdf.headers['x-content-type-options']).toBe('nosniff');

    const outsider = await request(server.url).get(`/api/download-file/${doc.body.file.id}`).set('Authorization', `Bearer ${carol.accessToken}`);
    expect(outsider.status).toBe(403);
    expect(outsider.body.error.code).toBe('ROOM_NOT_MEMBER');

    const missing = await request(server.url).get('/api/download-file/8d7f2c2e-3d4b-4f3a-9c55-1f2e3d4c5b6a').set('Authorization', `Bearer ${bob.accessToken}`);
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('FILE_NOT_FOUND');
  });

  it('sends an upload as a 1:1 message through POST /api/messages, once, by its uploader only', async () => {
    const up = await upload(server, alice, makePdf(), '견적서.pdf');
    const send = (from: TestUser, to: TestUser, body?: string) =>
      request(server.url).post('/api/messages').set('Authorization', `Bearer ${from.accessToken}`).send({ toUserId: to.id, clientId: randomUUID(), body, fileId: up.body.file.id });
    const stolen = await send(carol, bob);
    expect(stolen.status).toBe(404);
    expect(stolen.body.error.code).toBe('FILE_NOT_FOUND');

    const sent = await send(alice, bob, '견적서 보내드립니다');
    expect(sent.status).toBe(201);
    expect(sent.body.message.file).toEqual({ id: up.body.file.id, name: '견적서.pdf', mime: 'application/pdf', size: up.body.file.size, hasPreview: false });
    expect((await download(server, bob, up.body.file.id)).status).toBe(200);
    expect((await download(server, carol, up.body.file.id)).status).toBe(403);

    const twice = await send(alice, carol);
    expect(twice.status).toBe(409);
    expect(twice.body.error.code).toBe('FILE_ALREADY_SENT');
  });

  it('sends a file once: a second attach answers FILE_ALREADY_SENT', async () => {
    const up = await upload(server, alice, makePdf(), 'once.pdf');
    const roomId = await seedRoom(server, 'group', alice.id, [alice.id, bob.id]);
    await seedMessage(server, roomId, alice, null, up.body.file.id);
    await expect(seedMessage(server, roomId, alice, null, up.body.file.id)).rejects.toMatchObject({ code: 'FILE_ALREADY_SENT' });
  });

  it('deleting a message removes its file (and preview) from disk and makes it 404', async () => {
    const up = await upload(server, alice, await makeImage('gif'), '움짤.gif');
    const roomId = await seedRoom(server, 'group', alice.id, [alice.id, bob.id]);
    const message = await seedMessage(server, roomId, alice, null, up.body.file.id);
    const row = (await fileRow(server, up.body.file.id))!;
    expect(row.thumbPath).not.toBeNull();
    const paths = [row.storedPath, row.thumbPath!];
    expect(paths.every((p) => storedFiles(server).includes(p))).toBe(true);

    const del = await request(server.url).delete(`/api/messages/${message.id}`).set('Authorization', `Bearer ${alice.accessToken}`);
    expect(del.status).toBe(200);
    expect(paths.some((p) => storedFiles(server).includes(p))).toBe(false);
    expect(await fileRow(server, up.body.file.id)).toBeNull();
    const gone = await request(server.url).get(`/api/download-file/${up.body.file.id}`).set('Authorization', `Bearer ${bob.accessToken}`);
    expect(gone.status).toBe(404);
    expect(gone.body.error.code).toBe('FILE_NOT_FOUND');
  });

  it('removes uploads never sent after a day, once, even with several sweepers at once', async () => {
    const stale = await Promise.all([1, 2, 3].map((i) => upload(server, alice, Buffer.from(`오래된 ${i}`), `old${i}.txt`)));
    const fresh = await upload(server, alice, Buffer.from('새 파일'), 'new.txt');
    const sent = await upload(server, alice, Buffer.from('보낸 파일'), 'sent.txt');
    const roomId = await seedRoom(server, 'group', alice.id, [alice.id]);
    await seedMessage(server, roomId, alice, null, sent.body.file.id);
    const dayAgo = new Date(Date.now() - 25 * 3600_000);
    for (const id of [...stale.map((r) => r.body.file.id as string), sent.body.file.id as string]) {
      await server.db.manager.update(FileEntity, { id }, { createdAt: dayAgo });
    }
    const stalePaths = await Promise.all(stale.map(async (r) => (await fileRow(server, r.body.file.id))!.storedPath));

    // Two sweepers racing, as two server processes would: each stale upload is removed exactly once.
    const cleanup = server.app.get(FilesCleanup);
    const other = new FilesCleanup(server.app.get(FilesRepository), server.app.get(FilesService), server.config);
    const [a, b] = await Promise.all([cleanup.sweep(), other.sweep()]);
    expect(a + b).toBe(3);

    for (const r of stale) expect(await fileRow(server, r.body.file.id)).toBeNull();
    for (const p of stalePaths) expect(() => statSync(join(server.config.uploadDir, p))).toThrow();
    expect(await fileRow(server, fresh.body.file.id)).not.toBeNull();
    expect(await fileRow(server, sent.body.file.id)).not.toBeNull();
  });

  it('removes stored files no upload owns (left by a crash mid-upload) once they are a day old', async () => {
    const kept = await upload(server, alice, await makeImage('png'), 'kept.png');
    const row = (await fileRow(server, kept.body.file.id))!;
    const orphan = join('ab', 'ab'.padEnd(32, '0'));
    const freshOrphan = join('ab', 'ab'.padEnd(32, '1'));
    mkdirSync(join(server.config.uploadDir, 'ab'), { recursive: true });
    writeFileSync(join(server.config.uploadDir, orphan), 'partial');
    writeFileSync(join(server.config.uploadDir, freshOrphan), 'still arriving');
    const old = new Date(Date.now() - 25 * 3600_000);
    for (const p of [orphan, row.storedPath, row.thumbPath!]) utimesSync(join(server.config.uploadDir, p), old, old);

    expect(await server.app.get(FilesCleanup).sweepOrphans()).toBe(1);
    const left = storedFiles(server);
    expect(left).not.toContain(orphan);
    expect(left).toEqual(expect.arrayContaining([freshOrphan, row.storedPath, row.thumbPath!]));
    expect((await download(server, alice, kept.body.file.id)).status).toBe(200);
  });
});
