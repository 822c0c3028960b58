import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { type FileHandle, mkdir, open, readdir, rename, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { Inject, Injectable } from '@nestjs/common';
import { BACKUP_NAME_PATTERN, type BackupItem } from '@hi-msg/contracts';
import { APP_CONFIG, type AppConfig } from '../config/config';

export type BackupKind = BackupItem['kind'];

/** The folder of each kind, under BACKUP_DIR. */
export const BACKUP_FOLDERS: Record<BackupKind, string> = { user: 'deleted_user_logs', room: 'deleted_room_logs' };

/** fsync a folder, so a rename inside it survives a power cut. */
async function syncDir(dir: string): Promise<void> {
  const fh = await open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** A file written under a temp name in its final folder, then fsynced and renamed into place. */
class AtomicFile {
  private constructor(
    private readonly fh: FileHandle,
    private readonly tempPath: string,
    readonly finalPath: string,
  ) {}

  static async create(finalPath: string, dir: string): Promise<AtomicFile> {
    const tempPath = join(dir, `.tmp-${randomBytes(8).toString('hex')}`);
    return new AtomicFile(await open(tempPath, 'wx', 0o600), tempPath, finalPath);
  }

  async write(text: string): Promise<void> {
    // writeFile on a handle continues at the current position and loops over partial writes.
    await this.fh.writeFile(text);
  }

  async commit(): Promise<void> {
    await this.fh.sync();
    await this.fh.close();
    await rename(this.tempPath, this.finalPath);
  }

  async abort(): Promise<void> {
    await this.fh.close().catch(() => undefined);
    await unlink(this.tempPath).catch(() => undefined);
    await unlink(this.finalPath).catch(() => undefined);
  }
}

/** One backup being written: a JSON document and a readable text transcript, written side by side. */
export class BackupDraft {
  constructor(
    readonly dir: string,
    readonly baseName: string,
    readonly json: AtomicFile,
    readonly text: AtomicFile,
  ) {}

  /** fsync both files, rename them into place, fsync the folder; the names written. */
  async commit(): Promise<string[]> {
    try {
      await this.json.commit();
      await this.text.commit();
      await syncDir(this.dir);
    } catch (err) {
      await this.abort();
      throw err;
    }
    return [`${this.baseName}.json`, `${this.baseName}.txt`];
  }

  /** Remove whatever was written: a failed backup leaves nothing behind. */
  async abort(): Promise<void> {
    await Promise.all([this.json.abort(), this.text.abort()]);
  }
}

/** File-system-safe stamp, e.g. 2026-11-26T16-40-00-123Z. */
export function backupStamp(at: Date): string {
  return at.toISOString().replace(/[:.]/g, '-');
}

/** Writes and reads the deletion backups under BACKUP_DIR. */
@Injectable()
export class BackupWriter {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** Start `<label>-<timestamp>.json` + `.txt` in the kind's folder (created if missing). */
  async begin(kind: BackupKind, label: string, at: Date): Promise<BackupDraft> {
    const dir = this.folder(kind);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    // A name starts with a letter or digit, or the list and downloads would not own it (an employee ID may begin with "_" or "-").
    const safeLabel =
      label
        .replace(/[^A-Za-z0-9_-]/g, '_')
        .replace(/^[^A-Za-z0-9]+/, '')
        .slice(0, 100) || 'x';
    let baseName = `${safeLabel}-${backupStamp(at)}`;
    // Two deletions of the same label in one millisecond must not overwrite each other.
    if (await stat(join(dir, `${baseName}.json`)).catch(() => null)) baseName += `-${randomBytes(3).toString('hex')}`;
    const json = await AtomicFile.create(join(dir, `${baseName}.json`), dir);
    const text = await AtomicFile.create(join(dir, `${baseName}.txt`), dir).catch(async (err: unknown) => {
      await json.abort();
      throw err;
    });
    return new BackupDraft(dir, baseName, json, text);
  }

  /** Remove backup files written for a deletion that did not happen. */
  async remove(kind: BackupKind, names: readonly string[]): Promise<void> {
    const dir = this.folder(kind);
    await Promise.all(names.filter((n) => BACKUP_NAME_PATTERN.test(n)).map((n) => unlink(join(dir, n)).catch(() => undefined)));
    await syncDir(dir).catch(() => undefined);
  }

  /** Every backup file, newest first. */
  async list(): Promise<BackupItem[]> {
    const items: BackupItem[] = [];
    for (const kind of Object.keys(BACKUP_FOLDERS) as BackupKind[]) {
      const dir = this.folder(kind);
      const names = await readdir(dir).catch(() => [] as string[]);
      for (const name of names) {
        if (!BACKUP_NAME_PATTERN.test(name)) continue;
        const st = await stat(join(dir, name)).catch(() => null);
        if (st?.isFile()) items.push({ kind, name, size: st.size, createdAt: st.mtime.toISOString() });
      }
    }
    return items.sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.name.localeCompare(a.name));
  }

  /** Open one backup file for download; null when there is none by that name. */
  async open(kind: BackupKind, name: string): Promise<{ stream: Readable; size: number } | null> {
    // The name was matched against BACKUP_NAME_PATTERN (no separators, no leading dot): it stays in the folder.
    if (!BACKUP_NAME_PATTERN.test(name)) return null;
    const fh = await open(join(this.folder(kind), name), 'r').catch(() => null);
    if (!fh) return null;
    const st = await fh.stat();
    if (!st.isFile()) {
      await fh.close();
      return null;
    }
    return { stream: createReadStream('', { fd: fh, autoClose: true }), size: st.size };
  }

  private folder(kind: BackupKind): string {
    return join(this.config.backupDir, BACKUP_FOLDERS[kind]);
  }
}
