import { unlink } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import sharp from 'sharp';

/** Longest side of a chat preview, in pixels. */
export const THUMB_MAX_PX = 320;
/** Refuse to decode images bigger than this (a decompression bomb in a 10 MB file). */
const MAX_INPUT_PIXELS = 40_000_000;
/** Previews made at once; more wait their turn, so a burst of photos cannot exhaust memory. */
const MAX_PARALLEL = 2;

// Every preview is of a different file: libvips' operation cache would only hold memory.
sharp.cache(false);

let active = 0;
const waiting: (() => void)[] = [];

async function withSlot<T>(fn: () => Promise<T>): Promise<T> {
  if (active >= MAX_PARALLEL) await new Promise<void>((resolve) => waiting.push(resolve));
  active += 1;
  try {
    return await fn();
  } finally {
    active -= 1;
    waiting.shift()?.();
  }
}

/** Previews of JPEGs are JPEG; PNG and GIF previews are PNG, keeping transparency. */
export function thumbMime(sourceMime: string): 'image/jpeg' | 'image/png' {
  return sourceMime === 'image/jpeg' ? 'image/jpeg' : 'image/png';
}

/**
 * Write a preview of at most 320 px beside the image, under its own random name. Returns its
 * path relative to UPLOAD_DIR, or null when the image cannot be previewed: a missing preview
 * never fails the upload.
 */
export async function makeThumbnail(uploadDir: string, storedPath: string, sourceMime: string): Promise<string | null> {
  // Beside the image, in its shard folder.
  const thumbPath = join(dirname(storedPath), randomBytes(16).toString('hex'));
  try {
    const img = sharp(join(uploadDir, storedPath), { limitInputPixels: MAX_INPUT_PIXELS, animated: false })
      .rotate()
      .resize(THUMB_MAX_PX, THUMB_MAX_PX, { fit: 'inside', withoutEnlargement: true });
    const out = thumbMime(sourceMime) === 'image/jpeg' ? img.jpeg({ quality: 80 }) : img.png({ compressionLevel: 9 });
    await withSlot(() => out.toFile(join(uploadDir, thumbPath)));
    return thumbPath;
  } catch {
    await unlink(join(uploadDir, thumbPath)).catch(() => undefined);
    return null;
  }
}
