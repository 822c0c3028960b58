import { z } from 'zod';

/**
 * Every IPC channel between the preload and main, defined once. `args` is the zod schema main
 * checks every call against before any handler runs; preload and main import these names, so a
 * channel cannot be misspelled on one side only.
 */

const RoomId = z.uuid();
/** Only web links leave the app, and only through the system browser. */
export const ExternalUrl = z
  .string()
  .max(2048)
  .refine((s) => /^https?:\/\//i.test(s) && URL.canParse(s), 'must be an http(s) URL');
/** A server address: http(s), no credentials, no query or fragment. */
export const ServerUrl = z
  .string()
  .max(512)
  .refine((s) => {
    if (!URL.canParse(s)) return false;
    const u = new URL(s);
    return (u.protocol === 'http:' || u.protocol === 'https:') && !u.username && !u.password && !u.search && !u.hash;
  }, 'must be an http(s) address without credentials, query or fragment');

export const NotifyArgs = z
  .object({
    // A message notification names its room; an admin notification (signup, reset) may use any short key.
    roomId: z.string().min(1).max(64),
    title: z.string().max(200),
    body: z.string().max(10_000),
    kind: z.enum(['message', 'admin']).optional(),
  })
  .strict();

/** Renderer → main, answered (ipcRenderer.invoke / ipcMain.handle). */
export const invokeChannels = {
  'session:load': z.tuple([]),
  'session:save': z.tuple([z.string().min(1).max(4096).nullable()]),
  'presets:get': z.tuple([]),
  'server-url:get': z.tuple([]),
  'server-url:set': z.tuple([ServerUrl]),
} as const;

/** Renderer → main, fire and forget (ipcRenderer.send / ipcMain.on). */
export const sendChannels = {
  'badge:set': z.tuple([z.number().int().min(0).max(1_000_000)]),
  notify: z.tuple([NotifyArgs]),
  'active-room:set': z.tuple([RoomId.nullable()]),
  'muted-rooms:set': z.tuple([z.array(RoomId).max(10_000)]),
  'dnd:set': z.tuple([z.boolean()]),
  'external:open': z.tuple([ExternalUrl]),
  'admin-window:open': z.tuple([]),
  'signed-in:set': z.tuple([z.object({ role: z.enum(['user', 'admin']) }).strict().nullable()]),
} as const;

/** Main → renderer events and their payloads. */
export interface MainEvents {
  'open-room': string;
  'dnd-changed': boolean;
}

export type InvokeChannel = keyof typeof invokeChannels;
export type SendChannel = keyof typeof sendChannels;
export type InvokeArgs<C extends InvokeChannel> = z.infer<(typeof invokeChannels)[C]>;
export type SendArgs<C extends SendChannel> = z.infer<(typeof sendChannels)[C]>;
export type MainEvent = keyof MainEvents;
