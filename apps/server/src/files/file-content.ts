import { open } from 'node:fs/promises';
import { ALLOWED_FILE_TYPES, type AllowedExtension } from '@hi-msg/contracts';

/** What file-type must report for each allowed extension (txt is checked while it streams in). */
const DETECTED_AS: Record<Exclude<AllowedExtension, 'txt' | 'zip'>, string> = {
  png: 'png',
  jpg: 'jpg',
  jpeg: 'jpg',
  gif: 'gif',
  pdf: 'pdf',
  rar: 'rar',
  // The old Office formats are OLE compound files.
  doc: 'cfb',
  xls: 'cfb',
  ppt: 'cfb',
  // The new ones are zips whose [Content_Types].xml names the main part; file-type reads it.
  docx: 'docx',
  xlsx: 'xlsx',
  pptx: 'pptx',
};

// Local file header, empty archive, spanned archive.
const ZIP_SIGNATURES = [Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.from([0x50, 0x4b, 0x05, 0x06]), Buffer.from([0x50, 0x4b, 0x07, 0x08])];

export function isAllowedExtension(ext: string): ext is AllowedExtension {
  return Object.hasOwn(ALLOWED_FILE_TYPES, ext);
}

async function readHead(path: string, bytes: number): Promise<Buffer> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    const { bytesRead } = await fh.read(buf, 0, bytes, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

/**
 * Streams a text upload through a strict UTF-8 decoder; `valid` stays true only for UTF-8
 * without NUL. Feed it every chunk, then call end().
 */
export class TextCheck {
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });
  valid = true;

  push(chunk: Buffer): void {
    if (!this.valid) return;
    if (chunk.includes(0)) this.valid = false;
    else this.decode(chunk);
  }

  end(): boolean {
    this.decode(undefined);
    return this.valid;
  }

  private decode(chunk: Buffer | undefined): void {
    if (!this.valid) return;
    try {
      this.decoder.decode(chunk, { stream: chunk !== undefined });
    } catch {
      this.valid = false;
    }
  }
}

/**
 * True when the stored bytes are what the extension claims. `textValid` is the streamed
 * UTF-8 check, used for txt.
 */
export async function contentMatches(path: string, ext: AllowedExtension, textValid: boolean): Promise<boolean> {
  if (ext === 'txt') return textValid;
  if (ext === 'zip') {
    const head = await readHead(path, 4);
    return ZIP_SIGNATURES.some((sig) => head.equals(sig));
  }
  // ESM-only package: loaded with a real dynamic import from the CommonJS build.
  const { fileTypeFromFile } = await import('file-type');
  const detected = await fileTypeFromFile(path);
  return detected?.ext === DETECTED_AS[ext];
}
