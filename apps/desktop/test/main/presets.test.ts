import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { effectiveServerUrl, POLICY_KEY, PRESET_FILE, presetCandidates, presetsFromRegQuery, readPresets } from '../../src/main/presets';
import { updatePlan } from '../../src/main/updater';
import { tempDir } from './helpers';

function presetFile(content: string): string {
  const dir = tempDir();
  const file = join(dir, PRESET_FILE);
  writeFileSync(file, content);
  return file;
}

describe('IT presets', () => {
  it('reads a good file and locks only keys that have a value', () => {
    const file = presetFile(
      JSON.stringify({ serverUrl: 'https://chat.corp.example/', updateUrl: 'https://chat.corp.example/updates/', autoUpdate: false, lockedKeys: ['serverUrl', 'autoUpdate'] }),
    );
    expect(readPresets([file])).toEqual({
      serverUrl: 'https://chat.corp.example',
      updateUrl: 'https://chat.corp.example/updates/',
      autoUpdate: false,
      locked: ['serverUrl', 'autoUpdate'],
      source: file,
    });
    expect(readPresets([presetFile('{"lockedKeys":["serverUrl"]}')]).locked).toEqual([]);
  });

  it('accepts a file saved by Notepad with a byte-order mark', () => {
    expect(readPresets([presetFile('\uFEFF{"serverUrl":"http://10.0.0.5:5050"}')]).serverUrl).toBe('http://10.0.0.5:5050');
  });

  it('a file that is not JSON gives defaults and says why', () => {
    const file = presetFile('{ serverUrl: "https://chat" ');
    const p = readPresets([file]);
    expect(p).toMatchObject({ locked: [], source: file });
    expect(p.serverUrl).toBeUndefined();
    expect(p.warning).toMatch(/is not valid JSON/);
    expect(p.warning).toContain(file);
  });

  it('a file with a wrong value or an unknown key gives defaults and names the key', () => {
    const bad = readPresets([presetFile('{"serverUrl":"ftp://x","autoUpdate":"no"}')]);
    expect(bad.serverUrl).toBeUndefined();
    expect(bad.warning).toMatch(/serverUrl: must be an http\(s\) address/);
    expect(bad.warning).toMatch(/autoUpdate/);
    const typo = readPresets([presetFile('{"serverURL":"https://chat.example"}')]);
    expect(typo.warning).toMatch(/serverURL/);
    expect(typo.locked).toEqual([]);
  });

  it('a missing file gives no presets and no warning; the first file found wins', () => {
    const dir = tempDir();
    expect(readPresets([join(dir, 'none.json'), join(dir, 'nested', 'none.json')])).toEqual({ locked: [] });
    const second = presetFile('{"serverUrl":"https://second.example"}');
    expect(readPresets([join(dir, 'none.json'), second]).serverUrl).toBe('https://second.example');
  });

  it('a preset path that cannot be read as a file gives defaults with a warning', () => {
    const dir = tempDir();
    const asDir = join(dir, PRESET_FILE);
    mkdirSync(asDir);
    expect(readPresets([asDir]).warning).toMatch(/could not be read/);
  });

  it('looks in the machine-wide folder, beside the executable, then in the resources', () => {
    const join = (...p: string[]): string => p.join('/');
    expect(presetCandidates({ platform: 'win32', exeDir: 'C:/Program Files/Hi_Msg', resourcesDir: 'C:/Program Files/Hi_Msg/resources', programData: 'C:/ProgramData', join })).toEqual([
      'C:/ProgramData/Hi_Msg/hi-msg.config.json',
      'C:/Program Files/Hi_Msg/hi-msg.config.json',
      'C:/Program Files/Hi_Msg/resources/hi-msg.config.json',
    ]);
    expect(presetCandidates({ platform: 'linux', exeDir: '/opt/Hi_Msg', resourcesDir: '/opt/Hi_Msg/resources', join })[0]).toBe('/etc/hi-msg/hi-msg.config.json');
  });

  it('a locked server address beats the user’s choice; an unlocked one is only the default', () => {
    expect(effectiveServerUrl({ serverUrl: 'https://it.example', locked: ['serverUrl'] }, 'https://mine.example')).toBe('https://it.example');
    expect(effectiveServerUrl({ serverUrl: 'https://it.example', locked: [] }, 'https://mine.example')).toBe('https://mine.example');
    expect(effectiveServerUrl({ serverUrl: 'https://it.example', locked: [] }, null)).toBe('https://it.example');
    expect(effectiveServerUrl({ locked: [] }, null)).toBeNull();
  });
});

describe('auto-update plan', () => {
  it('is off in development and when IT turns it off', () => {
    expect(updatePlan({ isPackaged: false, presets: { locked: [] }, serverUrl: 'https://c.example' })).toEqual({ enabled: false, reason: 'development build' });
    expect(updatePlan({ isPackaged: true, presets: { autoUpdate: false, locked: ['autoUpdate'] }, serverUrl: 'https://c.example' }).enabled).toBe(false);
  });

  it('uses IT’s update URL, else the server’s /updates/ folder', () => {
    expect(updatePlan({ isPackaged: true, presets: { updateUrl: 'https://cdn.example/hi-msg', locked: [] }, serverUrl: 'https://c.example' })).toEqual({
      enabled: true,
      url: 'https://cdn.example/hi-msg/',
    });
    expect(updatePlan({ isPackaged: true, presets: { locked: [] }, serverUrl: 'https://c.example/' })).toEqual({ enabled: true, url: 'https://c.example/updates/' });
    expect(updatePlan({ isPackaged: true, presets: { locked: [] }, serverUrl: null }).enabled).toBe(false);
  });
});

describe('Windows group policy presets', () => {
  const query = [
    '',
    'HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Hi_Msg',
    '    ServerUrl    REG_SZ    https://chat.corp.example/',
    '    AutoUpdate    REG_DWORD    0x0',
    '    LockedKeys    REG_SZ    serverUrl, autoUpdate',
    '',
  ].join('\r\n');

  it('reads the policy key the way reg query prints it', () => {
    expect(presetsFromRegQuery(query)).toEqual({
      serverUrl: 'https://chat.corp.example',
      autoUpdate: false,
      locked: ['serverUrl', 'autoUpdate'],
      source: POLICY_KEY,
    });
    expect(presetsFromRegQuery(query.replace('0x0', '0x1'))!.autoUpdate).toBe(true);
  });

  it('no key or no values means no policy; a bad value is reported like a bad file', () => {
    expect(presetsFromRegQuery(null)).toBeNull();
    expect(presetsFromRegQuery('\r\nHKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Hi_Msg\r\n')).toBeNull();
    const bad = presetsFromRegQuery('    ServerUrl    REG_SZ    file:///C:/evil\r\n')!;
    expect(bad.serverUrl).toBeUndefined();
    expect(bad.warning).toMatch(/serverUrl/);
  });
});
