import type { IpcMainEvent, IpcMainInvokeEvent } from 'electron';
import type { z } from 'zod';
import { type InvokeArgs, type InvokeChannel, invokeChannels, type SendArgs, type SendChannel, sendChannels } from '../shared/ipc';
import type { Logger } from './log';
import { isAppUrl } from './security';

export type InvokeHandlers = { [C in InvokeChannel]: (...args: InvokeArgs<C>) => unknown };
export type SendHandlers = { [C in SendChannel]: (...args: SendArgs<C>) => void };

/** The part of ipcMain the registry uses. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown): void;
  on(channel: string, listener: (event: IpcMainEvent, ...args: unknown[]) => void): void;
}

type SenderEvent = Pick<IpcMainEvent, 'senderFrame'>;

/** Thrown back to the renderer for a call main refused. */
export class IpcRejected extends Error {}

/** Only the app's own pages may talk to main; a frame from anywhere else is ignored. */
export function isTrustedSender(event: SenderEvent, appOrigins: readonly string[]): boolean {
  const url = event.senderFrame?.url;
  return typeof url === 'string' && isAppUrl(url, appOrigins);
}

/**
 * Check one call against its channel's schema. Returns the parsed arguments, or null after
 * logging why the call was rejected.
 */
export function validateCall(
  channel: string,
  schema: z.ZodType<unknown[]>,
  event: SenderEvent,
  args: unknown[],
  appOrigins: readonly string[],
  log: Logger,
): unknown[] | null {
  if (!isTrustedSender(event, appOrigins)) {
    log.warn(`ipc ${channel}: rejected a call from an untrusted frame`, event.senderFrame?.url);
    return null;
  }
  const parsed = schema.safeParse(args);
  if (!parsed.success) {
    log.warn(`ipc ${channel}: rejected invalid arguments`, parsed.error.issues);
    return null;
  }
  return parsed.data;
}

/** Register every channel in one place; each call is validated before its handler runs. */
export function registerIpc(ipc: IpcMainLike, invoke: InvokeHandlers, send: SendHandlers, appOrigins: readonly string[], log: Logger): void {
  for (const channel of Object.keys(invokeChannels) as InvokeChannel[]) {
    ipc.handle(channel, async (event, ...args) => {
      const valid = validateCall(channel, invokeChannels[channel], event, args, appOrigins, log);
      if (!valid) throw new IpcRejected(`${channel}: invalid request`);
      return (invoke[channel] as (...a: unknown[]) => unknown)(...valid);
    });
  }
  for (const channel of Object.keys(sendChannels) as SendChannel[]) {
    ipc.on(channel, (event, ...args) => {
      const valid = validateCall(channel, sendChannels[channel], event, args, appOrigins, log);
      if (!valid) return;
      try {
        (send[channel] as (...a: unknown[]) => void)(...valid);
      } catch (err) {
        log.error(`ipc ${channel}: handler failed`, err);
      }
    });
  }
}
