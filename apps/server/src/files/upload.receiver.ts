import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync } from 'node:fs';
import { unlink } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { type AllowedExtension, MAX_FILE_BYTES } from '@hi-msg/contracts';
import busboy from 'busboy';
import { AppError } from '../common/app-error';
import { isAllowedExtension, TextCheck } from './file-content';
import { extensionOf, sanitizeFileName } from './file-name';

/** Room for the multipart framing around the file; a declared body beyond cap + this is refused unread. */
const MULTIPART_SLACK = 64 * 1024;
/** After a refusal, read at most this much more of the body (so the client sees the answer), then drop the connection. */
const MAX_DRAIN_BYTES = 4 * 1024 * 1024;

/** An upload written to disk, not yet checked or recorded. */
export interface ReceivedFile {
  /** Relative to UPLOAD_DIR: `<2-hex shard>/<32-hex random>`. */
  storedPath: string;
  name: string;
  ext: AllowedExtension;
  size: number;
  sha256: string;
  /** UTF-8 without NUL (only computed for txt). */
  textValid: boolean;
}

const tooLarge = () => new AppError('FILE_TOO_LARGE', `The file is larger than ${MAX_FILE_BYTES / 1024 / 1024} MB. Send a smaller file.`);
const storageFailed = () => new AppError('STORAGE_FAILED', 'The server could not store the file: its upload folder is full or cannot be written. Try again later; if it keeps happening, tell IT.');
/** A file system error of the server's own (not the client's stream ending early). */
const isStorageError = (err: unknown) => typeof (err as { syscall?: unknown } | null)?.syscall === 'string';
const badForm = (why: string) => new AppError('VALIDATION_FAILED', `${why} Send one file as multipart/form-data in the field "file".`);
export const typeNotAllowed = () =>
  new AppError('FILE_TYPE_NOT_ALLOWED', 'This file type is not allowed, or its content does not match its extension. Allowed: png, jpg, jpeg, gif, pdf, doc, docx, xls, xlsx, ppt, pptx, zip, rar, txt.');

/** A random stored name under a 2-hex shard folder; the user's name never reaches the path. */
export function randomStoredPath(): string {
  const name = randomBytes(16).toString('hex');
  return join(name.slice(0, 2), name);
}

/** Read (and throw away) what is left of a refused body, up to a cap; beyond it, drop the connection. */
function discardRest(req: IncomingMessage): void {
  let seen = 0;
  req.on('data', (chunk: Buffer) => {
    seen += chunk.length;
    if (seen > MAX_DRAIN_BYTES) req.destroy();
  });
  req.resume();
}

/**
 * Write one part to disk, hashing and measuring it (and checking UTF-8 for txt) on the way.
 * Synchronous up to the pipeline, so the part is consumed from its first byte.
 */
async function writePart(stream: Readable, uploadDir: string, storedPath: string, text: TextCheck | null): Promise<{ size: number; sha256: string }> {
  const hash = createHash('sha256');
  let size = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk);
      size += chunk.length;
      text?.push(chunk);
      done(null, chunk);
    },
  });
  mkdirSync(join(uploadDir, storedPath, '..'), { recursive: true });
  await pipeline(stream, meter, createWriteStream(join(uploadDir, storedPath), { flags: 'wx', mode: 0o640 }));
  return { size, sha256: hash.digest('hex') };
}

/**
 * Stream the multipart field `file` to UPLOAD_DIR under a random name, never holding the
 * whole file in memory. The 10 MB cap is enforced as the bytes arrive: past it, the partial
 * file is removed and FILE_TOO_LARGE thrown without waiting for the rest of the body.
 */
export function receiveUpload(req: IncomingMessage, uploadDir: string): Promise<ReceivedFile> {
  if (!/^multipart\/form-data/i.test(req.headers['content-type'] ?? '')) {
    discardRest(req);
    return Promise.reject(badForm('The request is not multipart/form-data.'));
  }
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > MAX_FILE_BYTES + MULTIPART_SLACK) {
    discardRest(req);
    return Promise.reject(tooLarge());
  }
  let bb: busboy.Busboy;
  try {
    // busboy reports `limit` on reaching fileSize, so one byte over the cap is what trips it.
    bb = busboy({ headers: req.headers, defParamCharset: 'utf8', limits: { fileSize: MAX_FILE_BYTES + 1, files: 1, fields: 20, parts: 25, fieldSize: 64 * 1024 } });
  } catch {
    discardRest(req);
    return Promise.reject(badForm('The multipart request has no boundary.'));
  }

  return new Promise<ReceivedFile>((resolve, reject) => {
    let settled = false;
    let problem: AppError | undefined;
    let part:
      | { name: string; ext: AllowedExtension; storedPath: string; source: Readable; text: TextCheck | null; written: Promise<{ size: number; sha256: string }> }
      | undefined;
    let truncated = false;

    const removePartial = async () => {
      if (part) await unlink(join(uploadDir, part.storedPath)).catch(() => undefined);
    };
    const fail = (err: AppError) => {
      if (settled) return;
      settled = true;
      req.unpipe(bb);
      discardRest(req);
      // Stop the write at once. Destroyed with an error: a bare destroy() of a busboy part can
      // leave the pipeline waiting forever.
      part?.source.destroy(err);
      // The write may still be flushing: remove the file once it has stopped.
      void (part?.written ?? Promise.resolve()).catch(() => undefined).then(removePartial).then(() => reject(err));
    };
    const finish = async () => {
      if (settled) return;
      if (problem) return fail(problem);
      if (!part) return fail(badForm('No file was sent.'));
      try {
        const { size, sha256 } = await part.written;
        if (truncated || size > MAX_FILE_BYTES) return fail(tooLarge());
        if (size === 0) return fail(badForm('The file is empty.'));
        settled = true;
        resolve({ storedPath: part.storedPath, name: part.name, ext: part.ext, size, sha256, textValid: part.text ? part.text.end() : false });
      } catch {
        fail(badForm('The upload was interrupted.'));
      }
    };

    bb.on('file', (field, stream, info) => {
      if (field !== 'file' || part || problem) {
        problem ??= badForm(field !== 'file' ? `Unexpected file field "${field}".` : 'Only one file per upload.');
        stream.resume();
        return;
      }
      const name = sanitizeFileName(info.filename ?? '');
      const ext = extensionOf(name);
      if (!isAllowedExtension(ext)) {
        problem = typeNotAllowed();
        stream.resume();
        return;
      }
      const storedPath = randomStoredPath();
      const text = ext === 'txt' ? new TextCheck() : null;
      stream.on('limit', () => {
        truncated = true;
        fail(tooLarge());
      });
      // Its errors are told through `written`; a part destroyed before the write took it (the
      // folder could not be made) must not raise an 'error' nobody listens to.
      stream.on('error', () => undefined);
      part = { name, ext, storedPath, source: stream, text, written: writePart(stream, uploadDir, storedPath, text) };
      // The disk refusing the file (full, not writable) stops the upload at once: the part is
      // no longer read, so busboy would never finish and the request never be answered.
      // Other failures (the client going away, a cap reached) are told by finish/fail.
      part.written.catch((err: unknown) => {
        if (isStorageError(err)) fail(storageFailed());
      });
    });
    bb.on('filesLimit', () => {
      problem ??= badForm('Only one file per upload.');
    });
    bb.on('partsLimit', () => {
      problem ??= badForm('Too many form parts.');
    });
    bb.on('fieldsLimit', () => {
      problem ??= badForm('Too many form fields.');
    });
    bb.on('error', () => fail(badForm('The multipart body could not be read.')));
    bb.on('close', () => void finish());
    req.on('aborted', () => fail(badForm('The upload was interrupted.')));
    req.pipe(bb);
  });
}
