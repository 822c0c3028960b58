import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ServerUrl } from '../shared/ipc';
import type { Presets } from '../shared/platform';

const LockableKey = z.enum(['serverUrl', 'updateUrl', 'autoUpdate']);

/** hi-msg.config.json as IT writes it. Unknown keys are refused so a typo is reported, not ignored. */
export const PresetFileSchema = z
  .object({
    serverUrl: ServerUrl.optional(),
    updateUrl: ServerUrl.optional(),
    autoUpdate: z.boolean().optional(),
    lockedKeys: z.array(LockableKey).max(3).optional(),
  })
  .strict();

export const PRESET_FILE = 'hi-msg.config.json';

function describe(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || '(file)'}: ${i.message}`).join('; ');
}

/**
 * Read the first preset file that exists among `candidates`. A missing file gives no presets; a
 * malformed one gives no presets plus a `warning` saying why, so the app still starts.
 */
export function readPresets(candidates: readonly string[], read: (path: string) => string = (p) => readFileSync(p, 'utf8')): Presets {
  for (const path of candidates) {
    let text: string;
    try {
      text = read(path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'ENOTDIR') continue;
      return { locked: [], source: path, warning: `${path} could not be read (${(err as Error).message}); using defaults.` };
    }
    let json: unknown;
    try {
      // Notepad saves UTF-8 with a byte-order mark.
      json = JSON.parse(text.replace(/^\uFEFF/, ''));
    } catch (err) {
      return { locked: [], source: path, warning: `${path} is not valid JSON (${(err as Error).message}); using defaults.` };
    }
    return presetsFrom(json, path);
  }
  return { locked: [] };
}

/** Validate preset values from any source (a file, the Windows policy key). */
export function presetsFrom(json: unknown, source: string): Presets {
  const parsed = PresetFileSchema.safeParse(json);
  if (!parsed.success) {
    return { locked: [], source, warning: `${source} was ignored: ${describe(parsed.error)}; using defaults.` };
  }
  const { lockedKeys = [], ...values } = parsed.data;
  // A key can only be locked to a value IT actually set.
  const locked = [...new Set(lockedKeys)].filter((k) => values[k] !== undefined);
  return { ...values, serverUrl: values.serverUrl?.replace(/\/+$/, ''), locked, source };
}

/** The Windows policy key group policy writes to (Administrative Templates or Registry preferences). */
export const POLICY_KEY = 'HKLM\\SOFTWARE\\Policies\\Hi_Msg';

/**
 * Presets from `reg query <POLICY_KEY>` output: ServerUrl and UpdateUrl (REG_SZ), AutoUpdate
 * (REG_DWORD, 0 = off) and LockedKeys (REG_SZ, comma-separated). Null when the key has no values.
 */
export function presetsFromRegQuery(output: string | null): Presets | null {
  if (!output) return null;
  const values = new Map<string, { type: string; data: string }>();
  for (const line of output.split(/\r?\n/)) {
    const m = /^\s+(\S+)\s+(REG_SZ|REG_EXPAND_SZ|REG_DWORD)\s+(.*?)\s*$/.exec(line);
    if (m) values.set(m[1]!.toLowerCase(), { type: m[2]!, data: m[3]! });
  }
  if (values.size === 0) return null;
  const text = (name: string): string | undefined => {
    const v = values.get(name);
    return v && v.type !== 'REG_DWORD' ? v.data : undefined;
  };
  const auto = values.get('autoupdate');
  const json: Record<string, unknown> = {
    serverUrl: text('serverurl'),
    updateUrl: text('updateurl'),
    autoUpdate: auto ? (auto.type === 'REG_DWORD' ? Number.parseInt(auto.data, 16) !== 0 : auto.data) : undefined,
    lockedKeys: text('lockedkeys')
      ?.split(',')
      .map((k) => k.trim())
      .filter(Boolean),
  };
  for (const k of Object.keys(json)) if (json[k] === undefined) delete json[k];
  return presetsFrom(json, POLICY_KEY);
}

/** Where IT may put the preset file, most specific first: a machine-wide folder, beside the executable, the app resources. */
export function presetCandidates(opts: {
  platform: NodeJS.Platform;
  exeDir: string;
  resourcesDir: string;
  programData?: string;
  join: (...parts: string[]) => string;
}): string[] {
  const machine =
    opts.platform === 'win32'
      ? opts.programData && opts.join(opts.programData, 'Hi_Msg', PRESET_FILE)
      : opts.platform === 'darwin'
        ? opts.join('/Library/Application Support/Hi_Msg', PRESET_FILE)
        : opts.join('/etc/hi-msg', PRESET_FILE);
  return [machine, opts.join(opts.exeDir, PRESET_FILE), opts.join(opts.resourcesDir, PRESET_FILE)].filter((p): p is string => !!p);
}

/** The server address in effect: a locked preset wins, then the user's choice, then the preset default. */
export function effectiveServerUrl(presets: Presets, saved: string | null): string | null {
  if (presets.locked.includes('serverUrl') && presets.serverUrl) return presets.serverUrl;
  return saved ?? presets.serverUrl ?? null;
}
