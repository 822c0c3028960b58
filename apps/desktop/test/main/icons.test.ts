import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/** The installer icons generated from build/icon.svg by scripts/make-icons.mjs. */
const build = resolve(__dirname, '../../build');
const pngSize = (png: Buffer): [number, number] => {
  expect(png.subarray(1, 4).toString()).toBe('PNG');
  return [png.readUInt32BE(16), png.readUInt32BE(20)];
};

describe('app icons', () => {
  it('Linux gets a PNG for every size, each really that size', () => {
    for (const n of [16, 24, 32, 48, 64, 128, 256, 512]) expect(pngSize(readFileSync(join(build, 'icons', `${n}x${n}.png`)))).toEqual([n, n]);
    expect(pngSize(readFileSync(join(build, 'icon.png')))).toEqual([1024, 1024]);
  });

  it('the Windows .ico holds 16 to 256 pixels', () => {
    const ico = readFileSync(join(build, 'icon.ico'));
    expect(ico.readUInt16LE(2)).toBe(1);
    const count = ico.readUInt16LE(4);
    const sizes = Array.from({ length: count }, (_, i) => {
      const e = 6 + 16 * i;
      const png = ico.subarray(ico.readUInt32LE(e + 12), ico.readUInt32LE(e + 12) + ico.readUInt32LE(e + 8));
      return pngSize(png)[0];
    });
    expect(sizes).toEqual([16, 24, 32, 48, 64, 128, 256]);
  });

  it('the macOS .icns holds 16 to 1024 pixels', () => {
    const icns = readFileSync(join(build, 'icon.icns'));
    expect(icns.toString('ascii', 0, 4)).toBe('icns');
    expect(icns.readUInt32BE(4)).toBe(icns.length);
    const found: Record<string, number> = {};
    for (let at = 8; at < icns.length; ) {
      const len = icns.readUInt32BE(at + 4);
      found[icns.toString('ascii', at, at + 4)] = pngSize(icns.subarray(at + 8, at + len))[0];
      at += len;
    }
    expect(found).toMatchObject({ icp4: 16, icp5: 32, ic07: 128, ic08: 256, ic09: 512, ic10: 1024 });
  });
});
