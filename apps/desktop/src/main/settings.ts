import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import { ServerUrl } from '../shared/ipc';
import type { Logger } from './log';

const Bounds = z.object({ x: z.number().int(), y: z.number().int(), width: z.number().int().positive(), height: z.number().int().positive() });
export type Bounds = z.infer<typeof Bounds>;

const SettingsSchema = z.object({
  serverUrl: ServerUrl.optional(),
  window: Bounds.extend({ maximized: z.boolean().default(false) }).optional(),
});
export type Settings = z.infer<typeof SettingsSchema>;

/** The user's own choices kept as JSON in userData: the server address and the main window's place. */
export class SettingsStore {
  private value: Settings;

  constructor(
    private readonly file: string,
    private readonly log: Logger,
  ) {
    this.value = this.load();
  }

  get(): Settings {
    return this.value;
  }

  update(patch: Partial<Settings>): void {
    this.value = { ...this.value, ...patch };
    try {
      mkdirSync(dirname(this.file), { recursive: true });
      // Write then rename, so a crash mid-write never leaves a half file behind.
      writeFileSync(this.file + '.tmp', JSON.stringify(this.value, null, 2));
      renameSync(this.file + '.tmp', this.file);
    } catch (err) {
      this.log.error('settings could not be saved', err);
    }
  }

  private load(): Settings {
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch {
      return {};
    }
    try {
      const parsed = SettingsSchema.safeParse(JSON.parse(text));
      if (parsed.success) return parsed.data;
      this.log.warn('settings file ignored', parsed.error.issues);
    } catch (err) {
      this.log.warn('settings file ignored', err);
    }
    return {};
  }
}

export const DEFAULT_BOUNDS = { width: 960, height: 720 };
const MIN = { width: 360, height: 480 };

/**
 * Where the main window reopens: the saved bounds when at least a strip of their top edge is on a
 * current display (a monitor may have been unplugged), else the default size centred by the OS.
 */
export function restoreBounds(saved: Bounds | undefined, workAreas: readonly Bounds[]): Partial<Bounds> & { width: number; height: number } {
  if (!saved) return { ...DEFAULT_BOUNDS };
  const width = Math.max(MIN.width, saved.width);
  const height = Math.max(MIN.height, saved.height);
  const visible = workAreas.some((a) => {
    const overlapX = Math.min(saved.x + width, a.x + a.width) - Math.max(saved.x, a.x);
    const titleBarOn = saved.y >= a.y && saved.y < a.y + a.height - 40;
    return overlapX >= 100 && titleBarOn;
  });
  if (!visible) return { width: Math.min(width, DEFAULT_BOUNDS.width), height: Math.min(height, DEFAULT_BOUNDS.height) };
  return { x: saved.x, y: saved.y, width, height };
}
