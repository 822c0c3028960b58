import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Logger } from './log';

/** The part of Electron's safeStorage the session store uses. */
export interface SecureStorage {
  isEncryptionAvailable(): boolean;
  getSelectedStorageBackend?(): string;
  encryptString(plain: string): Buffer;
  decryptString(encrypted: Buffer): string;
}

/**
 * The refresh token, encrypted with the OS keychain through safeStorage. Where the only backend
 * would store it in plain text (Linux without a keyring), nothing is stored and the user signs in
 * with the password at the next start.
 */
export class SessionStore {
  constructor(
    private readonly file: string,
    private readonly storage: SecureStorage,
    private readonly platform: NodeJS.Platform,
    private readonly log: Logger,
  ) {}

  /** Whether a token can be stored without it being readable as plain text on disk. */
  isSecure(): boolean {
    if (!this.storage.isEncryptionAvailable()) return false;
    // getSelectedStorageBackend exists on Linux only.
    if (this.platform === 'linux') {
      const backend = this.storage.getSelectedStorageBackend?.() ?? 'unknown';
      if (backend === 'basic_text' || backend === 'unknown') return false;
    }
    return true;
  }

  save(token: string | null): boolean {
    if (token === null) {
      this.clear();
      return true;
    }
    if (!this.isSecure()) {
      this.log.warn('no secure storage on this system: the session is not kept');
      this.clear();
      return false;
    }
    try {
      mkdirSync(dirname(this.file), { recursive: true });
      writeFileSync(this.file, this.storage.encryptString(token), { mode: 0o600 });
      return true;
    } catch (err) {
      this.log.error('session could not be saved', err);
      return false;
    }
  }

  load(): string | null {
    if (!this.isSecure()) return null;
    let data: Buffer;
    try {
      data = readFileSync(this.file);
    } catch {
      return null;
    }
    try {
      return this.storage.decryptString(data);
    } catch (err) {
      // A token from another OS user or a reset keychain cannot be read: drop it, ask for the password.
      this.log.warn('stored session could not be decrypted; it was removed', err);
      this.clear();
      return null;
    }
  }

  private clear(): void {
    rmSync(this.file, { force: true });
  }
}
