import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { InvokeArgs, InvokeChannel, MainEvent, MainEvents, SendArgs, SendChannel } from '../shared/ipc';
import { LOCALE_ARG } from '../shared/launch-args';
import type { Platform, Presets } from '../shared/platform';

// The only bridge between the page and the OS. It forwards calls; main validates every argument.

function invoke<C extends InvokeChannel, R>(channel: C, ...args: InvokeArgs<C>): Promise<R> {
  return ipcRenderer.invoke(channel, ...args) as Promise<R>;
}

function send<C extends SendChannel>(channel: C, ...args: SendArgs<C>): void {
  ipcRenderer.send(channel, ...args);
}

function subscribe<E extends MainEvent>(event: E, cb: (payload: MainEvents[E]) => void): () => void {
  // The page never sees the IpcRendererEvent (it would expose `sender`).
  const listener = (_e: IpcRendererEvent, payload: MainEvents[E]): void => cb(payload);
  ipcRenderer.on(event, listener);
  return () => {
    ipcRenderer.removeListener(event, listener);
  };
}

// The sandboxed preload's process polyfill carries argv (with additionalArguments); stay safe if it did not.
const localeArg = (globalThis.process?.argv ?? []).find((a) => a.startsWith(LOCALE_ARG));

const hiMsg: Platform = {
  kind: 'electron',
  locale: localeArg ? localeArg.slice(LOCALE_ARG.length) : navigator.language || 'en',
  setBadgeCount: (count) => send('badge:set', count),
  notify: (req) => send('notify', req),
  onOpenRoom: (cb) => subscribe('open-room', cb),
  onDoNotDisturbChanged: (cb) => subscribe('dnd-changed', cb),
  setActiveRoom: (roomId) => send('active-room:set', roomId),
  setMutedRooms: (roomIds) => send('muted-rooms:set', roomIds),
  setDoNotDisturb: (on) => send('dnd:set', on),
  loadSession: () => invoke<'session:load', string | null>('session:load'),
  saveSession: (token) => invoke<'session:save', boolean>('session:save', token),
  getPresets: () => invoke<'presets:get', Presets>('presets:get'),
  getServerUrl: () => invoke<'server-url:get', string | null>('server-url:get'),
  setServerUrl: (url) => invoke<'server-url:set', void>('server-url:set', url),
  openExternal: (url) => send('external:open', url),
  openAdminWindow: () => send('admin-window:open'),
  setSignedIn: (info) => send('signed-in:set', info),
};

contextBridge.exposeInMainWorld('hiMsg', hiMsg);
