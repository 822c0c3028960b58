import type { Presets } from '../shared/platform';
import type { Logger } from './log';

export type UpdatePlan = { enabled: false; reason: string } | { enabled: true; url: string };

/**
 * Whether and from where to update: never in development, never when IT turned it off; the feed is
 * IT's update URL, else the `/updates/` folder of the server the app talks to.
 */
export function updatePlan(opts: { isPackaged: boolean; presets: Presets; serverUrl: string | null }): UpdatePlan {
  if (!opts.isPackaged) return { enabled: false, reason: 'development build' };
  if (opts.presets.autoUpdate === false) return { enabled: false, reason: 'turned off by IT preset' };
  const url = opts.presets.updateUrl ?? (opts.serverUrl ? `${opts.serverUrl.replace(/\/+$/, '')}/updates/` : null);
  if (!url) return { enabled: false, reason: 'no update URL and no server address yet' };
  return { enabled: true, url: url.endsWith('/') ? url : url + '/' };
}

/** The part of electron-updater's autoUpdater used here. */
export interface Updater {
  logger: unknown;
  setFeedURL(options: { provider: 'generic'; url: string }): void;
  checkForUpdatesAndNotify(): Promise<unknown>;
}

const CHECK_EVERY_MS = 4 * 60 * 60 * 1000;

/** Check at start and every four hours; a failed check is logged and retried next time. */
export function startAutoUpdate(plan: UpdatePlan, updater: Updater, log: Logger): (() => void) | null {
  if (!plan.enabled) {
    log.info('auto-update off:', plan.reason);
    return null;
  }
  updater.logger = log;
  updater.setFeedURL({ provider: 'generic', url: plan.url });
  const check = (): void => {
    updater.checkForUpdatesAndNotify().catch((err: unknown) => log.warn('update check failed', err));
  };
  check();
  const timer = setInterval(check, CHECK_EVERY_MS);
  timer.unref();
  return () => clearInterval(timer);
}
