// Render every icon size the installers need from build/icon.svg:
//   build/icons/<n>x<n>.png (Linux), build/icon.png (1024), build/icon.ico (Windows), build/icon.icns (macOS).
// Uses sharp from the server package (it is already installed there). Run: node scripts/make-icons.mjs
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const sharp = createRequire(new URL('../../server/package.json', import.meta.url))('sharp');
const svg = readFileSync(`${root}/build/icon.svg`);

const SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024];
const png = {};
for (const size of SIZES) png[size] = await sharp(svg, { density: Math.max(72, (72 * size) / 1024 * 4) }).resize(size, size).png({ compressionLevel: 9 }).toBuffer();

mkdirSync(`${root}/build/icons`, { recursive: true });
for (const size of SIZES.filter((s) => s <= 512)) writeFileSync(`${root}/build/icons/${size}x${size}.png`, png[size]);
writeFileSync(`${root}/build/icon.png`, png[1024]);

// ICO with PNG-compressed entries (Windows Vista and later).
const icoSizes = [16, 24, 32, 48, 64, 128, 256];
const header = Buffer.alloc(6 + 16 * icoSizes.length);
header.writeUInt16LE(0, 0);
header.writeUInt16LE(1, 2);
header.writeUInt16LE(icoSizes.length, 4);
let offset = header.length;
icoSizes.forEach((size, i) => {
  const e = 6 + 16 * i;
  header.writeUInt8(size === 256 ? 0 : size, e);
  header.writeUInt8(size === 256 ? 0 : size, e + 1);
  header.writeUInt16LE(1, e + 4); // colour planes
  header.writeUInt16LE(32, e + 6); // bits per pixel
  header.writeUInt32LE(png[size].length, e + 8);
  header.writeUInt32LE(offset, e + 12);
  offset += png[size].length;
});
writeFileSync(`${root}/build/icon.ico`, Buffer.concat([header, ...icoSizes.map((s) => png[s])]));

// ICNS with PNG entries: each is a 4-byte type, a 4-byte big-endian length (header included), the PNG.
const icnsTypes = [['icp4', 16], ['icp5', 32], ['icp6', 64], ['ic07', 128], ['ic08', 256], ['ic09', 512], ['ic10', 1024], ['ic11', 32], ['ic12', 64], ['ic13', 256], ['ic14', 512]];
const chunks = icnsTypes.map(([type, size]) => {
  const head = Buffer.alloc(8);
  head.write(type, 0, 'ascii');
  head.writeUInt32BE(png[size].length + 8, 4);
  return Buffer.concat([head, png[size]]);
});
const body = Buffer.concat(chunks);
const icnsHead = Buffer.alloc(8);
icnsHead.write('icns', 0, 'ascii');
icnsHead.writeUInt32BE(body.length + 8, 4);
writeFileSync(`${root}/build/icon.icns`, Buffer.concat([icnsHead, body]));

console.log(`icons written to ${root}build/`);
