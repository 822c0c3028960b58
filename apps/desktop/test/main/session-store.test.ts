import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type SecureStorage, SessionStore } from '../../src/main/session-store';
import { fakeLog, tempDir } from './helpers';

/** safeStorage as each OS would answer; "encryption" reverses and tags the bytes so plain text never hits the disk. */
function storage(opts: { available?: boolean; backend?: string } = {}): SecureStorage {
  return {
    isEncryptionAvailable: () => opts.available ?? true,
    getSelectedStorageBackend: () => opts.backend ?? 'gnome_libsecret',
    encryptString: (s) => Buffer.concat([Buffer.from('ENC:'), Buffer.from(s).reverse()]),
    decryptString: (b) => {
      if (b.subarray(0, 4).toString() !== 'ENC:') throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
      return Buffer.from(b.subarray(4)).reverse().toString();
    },
  };
}

const TOKEN = 'rt_5f0c1e.세션-토큰';

describe('session store', () => {
  it('keeps the token encrypted and reads it back', () => {
    const file = join(tempDir(), 'session.bin');
    const store = new SessionStore(file, storage(), 'linux', fakeLog());
    expect(store.save(TOKEN)).toBe(true);
    expect(readFileSync(file).includes(Buffer.from(TOKEN))).toBe(false);
    expect(new SessionStore(file, storage(), 'linux', fakeLog()).load()).toBe(TOKEN);
  });

  it('refuses the plain-text backend (Linux without a keyring): nothing is written', () => {
    const file = join(tempDir(), 'session.bin');
    const log = fakeLog();
    const store = new SessionStore(file, storage({ backend: 'basic_text' }), 'linux', log);
    expect(store.save(TOKEN)).toBe(false);
    expect(existsSync(file)).toBe(false);
    expect(store.load()).toBeNull();
    expect(log.warn).toHaveBeenCalled();
  });

  it('refuses when encryption is unavailable on any OS', () => {
    for (const platform of ['win32', 'darwin', 'linux'] as const) {
      const file = join(tempDir(), 'session.bin');
      expect(new SessionStore(file, storage({ available: false }), platform, fakeLog()).save(TOKEN)).toBe(false);
      expect(existsSync(file)).toBe(false);
    }
  });

  it('removes a token kept earlier once the keyring is gone', () => {
    const file = join(tempDir(), 'session.bin');
    new SessionStore(file, storage(), 'linux', fakeLog()).save(TOKEN);
    const plain = new SessionStore(file, storage({ backend: 'basic_text' }), 'linux', fakeLog());
    expect(plain.load()).toBeNull();
    expect(plain.save(TOKEN)).toBe(false);
    expect(existsSync(file)).toBe(false);
  });

  it('on Windows and macOS the backend question is not asked', () => {
    const file = join(tempDir(), 'session.bin');
    const s = { ...storage(), getSelectedStorageBackend: () => 'basic_text' };
    expect(new SessionStore(file, s, 'win32', fakeLog()).save(TOKEN)).toBe(true);
  });

  it('signing out deletes the token; an unreadable token is dropped, not returned', () => {
    const file = join(tempDir(), 'session.bin');
    const store = new SessionStore(file, storage(), 'darwin', fakeLog());
    store.save(TOKEN);
    expect(store.save(null)).toBe(true);
    expect(existsSync(file)).toBe(false);
    writeFileSync(file, 'garbage');
    expect(store.load()).toBeNull();
    expect(existsSync(file)).toBe(false);
  });
});
