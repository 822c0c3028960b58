import { deflateSync } from 'node:zlib';

/**
 * The tray icon, the badge and the Windows overlay are drawn here as RGBA pixels and encoded as
 * PNG, so no image asset or canvas is needed at run time and tests can check what was drawn.
 */
export interface Bitmap {
  width: number;
  height: number;
  /** RGBA, row by row. */
  data: Uint8Array;
}

type Rgb = readonly [number, number, number];
const BRAND: Rgb = [0x2f, 0x6f, 0xeb];
const RED: Rgb = [0xe5, 0x39, 0x35];
const WHITE: Rgb = [0xff, 0xff, 0xff];

// 3×5 glyphs for the badge, one string per row.
const GLYPHS: Record<string, string[]> = {
  '0': ['111', '101', '101', '101', '111'],
  '1': ['010', '110', '010', '010', '111'],
  '2': ['111', '001', '111', '100', '111'],
  '3': ['111', '001', '111', '001', '111'],
  '4': ['101', '101', '111', '001', '001'],
  '5': ['111', '100', '111', '001', '111'],
  '6': ['111', '100', '111', '101', '111'],
  '7': ['111', '001', '001', '001', '001'],
  '8': ['111', '101', '111', '101', '111'],
  '9': ['111', '101', '111', '001', '111'],
  '+': ['000', '010', '111', '010', '000'],
};

function blank(width: number, height: number): Bitmap {
  return { width, height, data: new Uint8Array(width * height * 4) };
}

/** Source-over blend of one colour at `alpha` (0..1) onto pixel (x, y). */
function blend(bmp: Bitmap, x: number, y: number, [r, g, b]: Rgb, alpha: number): void {
  if (x < 0 || y < 0 || x >= bmp.width || y >= bmp.height || alpha <= 0) return;
  const i = (y * bmp.width + x) * 4;
  const d = bmp.data;
  const da = d[i + 3]! / 255;
  const oa = alpha + da * (1 - alpha);
  const mix = (src: number, dst: number): number => Math.round((src * alpha + dst * da * (1 - alpha)) / oa);
  d[i] = mix(r, d[i]!);
  d[i + 1] = mix(g, d[i + 1]!);
  d[i + 2] = mix(b, d[i + 2]!);
  d[i + 3] = Math.round(oa * 255);
}

/** Fill the set of points `inside` with 4×4 supersampling, so edges are smooth. */
function fillShape(bmp: Bitmap, colour: Rgb, inside: (x: number, y: number) => boolean): void {
  for (let y = 0; y < bmp.height; y++) {
    for (let x = 0; x < bmp.width; x++) {
      let hits = 0;
      for (let sy = 0; sy < 4; sy++) for (let sx = 0; sx < 4; sx++) if (inside(x + (sx + 0.5) / 4, y + (sy + 0.5) / 4)) hits++;
      blend(bmp, x, y, colour, hits / 16);
    }
  }
}

/** A pill (a circle when w == h) with its top-left corner at (x, y). */
function pill(x: number, y: number, w: number, h: number): (px: number, py: number) => boolean {
  const r = h / 2;
  return (px, py) => {
    const cx = Math.min(Math.max(px, x + r), x + w - r);
    return (px - cx) ** 2 + (py - (y + r)) ** 2 <= r * r;
  };
}

function drawText(bmp: Bitmap, text: string, left: number, top: number, scale: number): void {
  let x = left;
  for (const ch of text) {
    const rows = GLYPHS[ch];
    if (!rows) continue;
    rows.forEach((row, gy) => {
      for (let gx = 0; gx < 3; gx++) {
        if (row[gx] !== '1') continue;
        for (let dy = 0; dy < scale; dy++) for (let dx = 0; dx < scale; dx++) blend(bmp, x + gx * scale + dx, top + gy * scale + dy, WHITE, 1);
      }
    });
    x += 4 * scale;
  }
}

function textWidth(text: string, scale: number): number {
  return text.length === 0 ? 0 : (text.length * 4 - 1) * scale;
}

/** A red badge with white digits, right-aligned at the top of `bmp`. */
function drawBadge(bmp: Bitmap, text: string, height: number, scale: number): void {
  const w = Math.min(bmp.width, Math.max(height, textWidth(text, scale) + 2 * scale + 2));
  const x = bmp.width - w;
  fillShape(bmp, RED, pill(x, 0, w, height));
  drawText(bmp, text, x + Math.round((w - textWidth(text, scale)) / 2), Math.round((height - 5 * scale) / 2), scale);
}

/** The app's speech-bubble glyph, with the unread text in a badge when there is one. 32×32 (16pt at 2×). */
export function trayIconBitmap(text: string): Bitmap {
  const bmp = blank(32, 32);
  const body = pill(2, 5, 28, 21);
  fillShape(bmp, BRAND, (x, y) => body(x, y) || (x >= 7 && x <= 13 && y >= 22 && y <= 30 - (x - 7)));
  if (text) drawBadge(bmp, text, 16, 2);
  return bmp;
}

/** The Windows taskbar overlay: a red disc with the number, 32×32 (16pt at 2×). */
export function overlayBitmap(text: string): Bitmap {
  const bmp = blank(32, 32);
  fillShape(bmp, RED, pill(0, 0, 32, 32));
  drawText(bmp, text, Math.round((32 - textWidth(text, 2)) / 2), 11, 2);
  return bmp;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const byte of buf) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** Encode a bitmap as an RGBA PNG. */
export function encodePng(bmp: Bitmap): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(bmp.width, 0);
  ihdr.writeUInt32BE(bmp.height, 4);
  ihdr.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA, no interlace
  const stride = bmp.width * 4;
  const raw = Buffer.alloc((stride + 1) * bmp.height);
  for (let y = 0; y < bmp.height; y++) raw.set(bmp.data.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
