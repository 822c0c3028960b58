import { describe, expect, it } from 'vitest';
import { type InvokeHandlers, type IpcMainLike, registerIpc, type SendHandlers } from '../../src/main/ipc';
import { APP_ORIGIN } from '../../src/main/security';
import { invokeChannels, sendChannels } from '../../src/shared/ipc';
import { fakeLog, ROOM_A, spy, type Spy } from './helpers';

type Listener = (event: unknown, ...args: unknown[]) => unknown;

function setup() {
  const handles = new Map<string, Listener>();
  const ons = new Map<string, Listener>();
  const ipc: IpcMainLike = {
    handle: (ch, l) => void handles.set(ch, l as Listener),
    on: (ch, l) => void ons.set(ch, l as Listener),
  };
  const invoke: Record<string, Spy> = Object.fromEntries(Object.keys(invokeChannels).map((c) => [c, spy(() => 'ok')]));
  const send: Record<string, Spy> = Object.fromEntries(Object.keys(sendChannels).map((c) => [c, spy()]));
  const log = fakeLog();
  registerIpc(ipc, invoke as unknown as InvokeHandlers, send as unknown as SendHandlers, [APP_ORIGIN], log);
  const fromApp = { senderFrame: { url: 'app://hi-msg/index.html#/rooms' } };
  return { handles, ons, invoke, send, log, fromApp };
}

describe('IPC registry', () => {
  it('registers every channel once, in one place', () => {
    const { handles, ons } = setup();
    expect([...handles.keys()].sort()).toEqual(Object.keys(invokeChannels).sort());
    expect([...ons.keys()].sort()).toEqual(Object.keys(sendChannels).sort());
  });

  it('passes valid arguments through', async () => {
    const { handles, ons, invoke, send, fromApp } = setup();
    await expect(handles.get('server-url:set')!(fromApp, 'https://chat.example.com')).resolves.toBe('ok');
    expect(invoke['server-url:set']).toHaveBeenCalledWith('https://chat.example.com');
    ons.get('badge:set')!(fromApp, 5);
    ons.get('notify')!(fromApp, { roomId: ROOM_A, title: '박지훈', body: '안녕하세요' });
    ons.get('signed-in:set')!(fromApp, { role: 'admin' });
    ons.get('active-room:set')!(fromApp, null);
    expect(send['badge:set']).toHaveBeenCalledWith(5);
    expect(send.notify).toHaveBeenCalledWith({ roomId: ROOM_A, title: '박지훈', body: '안녕하세요' });
    expect(send['signed-in:set']).toHaveBeenCalledWith({ role: 'admin' });
    expect(send['active-room:set']).toHaveBeenCalledWith(null);
  });

  it.each([
    ['badge:set', [-1]],
    ['badge:set', ['5']],
    ['badge:set', [1.5]],
    ['badge:set', []],
    ['notify', [{ roomId: ROOM_A, title: 'x' }]],
    ['notify', [{ roomId: ROOM_A, title: 'x', body: 'y', html: '<b>' }]],
    ['active-room:set', ['../../etc']],
    ['muted-rooms:set', [[ROOM_A, 'nope']]],
    ['dnd:set', ['yes']],
    ['external:open', ['file:///etc/passwd']],
    ['external:open', ['javascript:alert(1)']],
    ['signed-in:set', [{ role: 'root' }]],
    ['admin-window:open', [true]],
  ])('rejects and logs %s with %j', (channel, args) => {
    const { ons, send, log, fromApp } = setup();
    ons.get(channel)!(fromApp, ...args);
    expect(send[channel]).not.toHaveBeenCalled();
    expect(log.warn).toHaveBeenCalledWith(`ipc ${channel}: rejected invalid arguments`, expect.any(Array));
  });

  it.each([
    ['server-url:set', ['ftp://files.example.com']],
    ['server-url:set', ['https://user:pw@chat.example.com']],
    ['server-url:set', [42]],
    ['session:save', [123]],
    ['session:save', ['']],
    ['session:load', ['extra']],
  ])('refuses the call %s with %j and never runs the handler', async (channel, args) => {
    const { handles, invoke, log, fromApp } = setup();
    await expect(handles.get(channel)!(fromApp, ...args)).rejects.toThrow('invalid request');
    expect(invoke[channel]).not.toHaveBeenCalled();
    expect(log.warn).toHaveBeenCalled();
  });

  it('ignores calls from a frame that is not the app', async () => {
    const { handles, ons, invoke, send, log } = setup();
    const foreign = { senderFrame: { url: 'https://evil.example/' } };
    ons.get('badge:set')!(foreign, 1);
    await expect(handles.get('session:load')!(foreign)).rejects.toThrow();
    await expect(handles.get('session:load')!({ senderFrame: null })).rejects.toThrow();
    expect(send['badge:set']).not.toHaveBeenCalled();
    expect(invoke['session:load']).not.toHaveBeenCalled();
    expect(log.warn).toHaveBeenCalledWith('ipc badge:set: rejected a call from an untrusted frame', 'https://evil.example/');
  });

  it('a failing handler is logged and does not take main down', () => {
    const { ons, send, log, fromApp } = setup();
    send['dnd:set'].mockImplementation(() => {
      throw new Error('boom');
    });
    expect(() => ons.get('dnd:set')!(fromApp, true)).not.toThrow();
    expect(log.error).toHaveBeenCalled();
  });
});
