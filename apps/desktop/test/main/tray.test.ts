import type { MenuItem, MenuItemConstructorOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import { restoreBounds } from '../../src/main/settings';
import { trayLabels, trayMenuTemplate, trayTooltip } from '../../src/main/tray-menu';
import { spy } from './helpers';

function actions() {
  return { open: spy(), setDoNotDisturb: spy(), openAdmin: spy(), quit: spy() };
}
const click = (item: MenuItemConstructorOptions, checked = false): void =>
  (item.click as (i: MenuItem) => void)({ checked } as MenuItem);

describe('tray menu', () => {
  it('Open, Do not disturb, Quit for a user; Admin window only for an admin', () => {
    const en = trayLabels('en-US');
    expect(trayMenuTemplate({ doNotDisturb: false, isAdmin: false }, actions(), en).map((i) => i.label ?? i.type)).toEqual(['Open', 'Do not disturb', 'separator', 'Quit']);
    expect(trayMenuTemplate({ doNotDisturb: false, isAdmin: true }, actions(), en).map((i) => i.label ?? i.type)).toEqual(['Open', 'Do not disturb', 'Admin window', 'separator', 'Quit']);
    expect(trayMenuTemplate({ doNotDisturb: false, isAdmin: true }, actions(), trayLabels('ko-KR')).map((i) => i.label ?? i.type)).toEqual(['열기', '방해 금지', '관리자 창', 'separator', '종료']);
  });

  it('Do not disturb is a checkbox showing the current state; each item calls its action', () => {
    const a = actions();
    const items = trayMenuTemplate({ doNotDisturb: true, isAdmin: true }, a, trayLabels('en'));
    const byId = Object.fromEntries(items.filter((i) => i.id).map((i) => [i.id!, i]));
    expect(byId.dnd).toMatchObject({ type: 'checkbox', checked: true });
    click(byId.dnd!, false);
    expect(a.setDoNotDisturb).toHaveBeenCalledWith(false);
    click(byId.open!);
    click(byId.admin!);
    click(byId.quit!);
    expect(a.open).toHaveBeenCalledTimes(1);
    expect(a.openAdmin).toHaveBeenCalledTimes(1);
    expect(a.quit).toHaveBeenCalledTimes(1);
  });

  it('the tooltip carries the unread total', () => {
    expect(trayTooltip('en', '')).toBe('Hi_Msg');
    expect(trayTooltip('en', '99+')).toBe('Hi_Msg — 99+ unread');
    expect(trayTooltip('ko', '3')).toBe('Hi_Msg — 읽지 않은 메시지 3');
  });
});

describe('main window placement', () => {
  const screen = [{ x: 0, y: 0, width: 1920, height: 1040 }];
  const twoScreens = [...screen, { x: 1920, y: 0, width: 2560, height: 1400 }];

  it('reopens where it was when that place is on a screen', () => {
    expect(restoreBounds({ x: 2100, y: 100, width: 900, height: 700 }, twoScreens)).toEqual({ x: 2100, y: 100, width: 900, height: 700 });
  });

  it('falls back to a default, OS-centred size when its monitor is gone', () => {
    expect(restoreBounds({ x: 2100, y: 100, width: 900, height: 700 }, screen)).toEqual({ width: 900, height: 700 });
    expect(restoreBounds({ x: 100, y: -500, width: 900, height: 700 }, screen)).toEqual({ width: 900, height: 700 });
  });

  it('never reopens smaller than usable, and has a default on first run', () => {
    expect(restoreBounds({ x: 10, y: 10, width: 50, height: 50 }, screen)).toEqual({ x: 10, y: 10, width: 360, height: 480 });
    expect(restoreBounds(undefined, screen)).toEqual({ width: 960, height: 720 });
  });
});
