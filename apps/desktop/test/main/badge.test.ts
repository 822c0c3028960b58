import { inflateSync } from 'node:zlib';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { badgePlan, badgeText } from '../../src/main/badge';
import { type Bitmap, encodePng, overlayBitmap, trayIconBitmap } from '../../src/main/pixels';
import { app, type FakeImage, nativeImage, resetFakeElectron, Tray, BrowserWindow } from './fake-electron';
import { fakeLog } from './helpers';

vi.mock('electron', () => import('./fake-electron'));
const { ElectronShell } = await import('../../src/main/shell');
const { SettingsStore } = await import('../../src/main/settings');

/** Count pixels of a colour family: mostly red (the badge) or white (the digits). */
function count(bmp: Bitmap, test: (r: number, g: number, b: number, a: number) => boolean): number {
  let n = 0;
  for (let i = 0; i < bmp.data.length; i += 4) if (test(bmp.data[i]!, bmp.data[i + 1]!, bmp.data[i + 2]!, bmp.data[i + 3]!)) n++;
  return n;
}
const red = (r: number, g: number, b: number, a: number): boolean => a > 200 && r > 200 && g < 90 && b < 90;
const white = (r: number, g: number, b: number, a: number): boolean => a > 200 && r > 240 && g > 240 && b > 240;

describe('badge text', () => {
  it('is empty at zero, the number up to 99, then 99+', () => {
    expect(badgeText(0)).toBe('');
    expect(badgeText(-3)).toBe('');
    expect(badgeText(Number.NaN)).toBe('');
    expect(badgeText(1)).toBe('1');
    expect(badgeText(99)).toBe('99');
    expect(badgeText(100)).toBe('99+');
    expect(badgeText(12345)).toBe('99+');
  });
});

describe('badge plan per OS', () => {
  it('Windows draws on the tray icon and sets a taskbar overlay', () => {
    expect(badgePlan('win32', 7)).toEqual({ tray: { kind: 'icon', text: '7' }, shell: { kind: 'overlay', text: '7' } });
    expect(badgePlan('win32', 0)).toEqual({ tray: { kind: 'icon', text: '' }, shell: { kind: 'overlay', text: '' } });
  });

  it('macOS puts the number beside the menu-bar icon and on the dock', () => {
    expect(badgePlan('darwin', 150)).toEqual({ tray: { kind: 'title', text: '99+' }, shell: { kind: 'dock', text: '99+' } });
  });

  it('Linux draws on the tray icon and gives launchers the exact count', () => {
    expect(badgePlan('linux', 150)).toEqual({ tray: { kind: 'icon', text: '99+' }, shell: { kind: 'count', count: 150 } });
    expect(badgePlan('linux', 0).shell).toEqual({ kind: 'count', count: 0 });
  });
});

describe('drawn icons', () => {
  it('the tray icon carries a red badge with white digits only when there is a count', () => {
    const plain = trayIconBitmap('');
    const withCount = trayIconBitmap('5');
    expect(count(plain, red)).toBe(0);
    expect(count(withCount, red)).toBeGreaterThan(40);
    expect(count(withCount, white)).toBeGreaterThan(10);
    // "99+" needs a wider badge than "5".
    expect(count(trayIconBitmap('99+'), red)).toBeGreaterThan(count(withCount, red));
  });

  it('the overlay is a red disc with the number', () => {
    const bmp = overlayBitmap('12');
    expect(count(bmp, red)).toBeGreaterThan(500);
    expect(count(bmp, white)).toBeGreaterThan(20);
  });

  it('encodes a valid PNG holding exactly the drawn pixels', () => {
    const bmp = trayIconBitmap('3');
    const png = encodePng(bmp);
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(png.readUInt32BE(16)).toBe(32); // IHDR width
    expect(png.readUInt32BE(20)).toBe(32); // IHDR height
    const idatLen = png.readUInt32BE(33);
    expect(png.toString('ascii', 37, 41)).toBe('IDAT');
    const raw = inflateSync(png.subarray(41, 41 + idatLen));
    expect(raw.length).toBe(32 * (32 * 4 + 1));
    expect(raw.subarray(1, 1 + 128)).toEqual(Buffer.from(bmp.data.subarray(0, 128)));
  });
});

describe('applying the badge through Electron', () => {
  beforeEach(() => resetFakeElectron());

  function shellFor(platform: NodeJS.Platform): InstanceType<typeof ElectronShell> {
    const log = fakeLog();
    const shell = new ElectronShell({
      platform,
      preload: '/app/dist/preload/index.js',
      rendererUrl: 'app://hi-msg/index.html',
      locale: 'en-US',
      devTools: false,
      settings: new SettingsStore('/nonexistent/settings.json', log),
      log,
      trayActions: { open: vi.fn(), setDoNotDisturb: vi.fn(), openAdmin: vi.fn(), quit: vi.fn() },
      onRendererLoaded: vi.fn(),
      onRendererGone: vi.fn(),
    });
    shell.createTray();
    shell.showMainWindow();
    return shell;
  }

  it('Windows: a new tray image with the number, and the taskbar overlay; cleared at zero', () => {
    const shell = shellFor('win32');
    shell.applyBadge(badgePlan('win32', 4));
    const tray = Tray.instances[0]!;
    const win = BrowserWindow.instances[0]!;
    expect(tray.setImage).toHaveBeenCalledTimes(1);
    expect(tray.setToolTip).toHaveBeenLastCalledWith('Hi_Msg — 4 unread');
    const [overlay, description] = win.setOverlayIcon.mock.calls[0]! as [FakeImage, string];
    expect(overlay.png.subarray(1, 4).toString()).toBe('PNG');
    expect(overlay.scaleFactor).toBe(2);
    expect(description).toBe('Hi_Msg — 4 unread');
    expect(app.dock.setBadge).not.toHaveBeenCalled();
    expect(app.setBadgeCount).not.toHaveBeenCalled();

    shell.applyBadge(badgePlan('win32', 0));
    expect(win.setOverlayIcon).toHaveBeenLastCalledWith(null, '');
  });

  it('macOS: the dock badge and a title beside a template tray icon', () => {
    const shell = shellFor('darwin');
    const trayImage = Tray.instances[0]!.image as FakeImage;
    expect(trayImage.setTemplateImage).toHaveBeenCalledWith(true);
    shell.applyBadge(badgePlan('darwin', 120));
    expect(app.dock.setBadge).toHaveBeenCalledWith('99+');
    expect(Tray.instances[0]!.setTitle).toHaveBeenCalledWith(' 99+');
    expect(BrowserWindow.instances[0]!.setOverlayIcon).not.toHaveBeenCalled();
  });

  it('Linux: app.setBadgeCount with the total and the number drawn on the tray icon', () => {
    const shell = shellFor('linux');
    nativeImage.createFromBuffer.mockClear();
    shell.applyBadge(badgePlan('linux', 12));
    expect(app.setBadgeCount).toHaveBeenCalledWith(12);
    expect(nativeImage.createFromBuffer).toHaveBeenCalledTimes(1);
    expect(Tray.instances[0]!.setImage).toHaveBeenCalledTimes(1);
    expect(app.dock.setBadge).not.toHaveBeenCalled();
  });
});
