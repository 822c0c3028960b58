import { randomBytes, timingSafeEqual } from 'node:crypto';
import { COMMON_PASSWORDS } from './common-passwords';
import { AppError } from '../common/app-error';
import { ScryptPool } from './scrypt-pool';

// scrypt N=2^17, r=8, p=1 (OWASP's floor), on low-priority worker threads (scrypt-pool.ts), so a
// crowd logging in does not hold up the event loop.
const LOG_N = 17;
const R = 8;
const P = 1;
const KEY_LEN = 32;
const MAXMEM = 256 * 1024 * 1024;

const hashing = new ScryptPool();

/** End the hashing threads (on server shutdown); a later hash starts them again. */
export function closePasswordHashing(): Promise<void> {
  return hashing.close();
}

/** Hash a password as `scrypt$logN$r$p$salt$hash` (base64url), with a fresh per-user salt. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await hashing.derive({ password: password.normalize('NFC'), salt, keyLength: KEY_LEN, N: 2 ** LOG_N, r: R, p: P, maxmem: MAXMEM });
  return ['scrypt', LOG_N, R, P, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** Constant-time check of a password against a stored hash. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [alg, logN, r, p, saltB64, keyB64] = stored.split('$');
  if (alg !== 'scrypt' || !saltB64 || !keyB64) return false;
  const expected = Buffer.from(keyB64, 'base64url');
  const key = await hashing.derive({
    password: password.normalize('NFC'),
    salt: Buffer.from(saltB64, 'base64url'),
    keyLength: expected.length,
    N: 2 ** Number(logN),
    r: Number(r),
    p: Number(p),
    maxmem: MAXMEM,
  });
  return timingSafeEqual(key, expected);
}

/**
 * A hash of a random password: compared against when the account does not exist, so timing tells
 * nothing. Made once; a failed attempt (hashing busy) is not kept.
 */
let dummyHash: Promise<string> | undefined;
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword(randomBytes(16).toString('hex')).catch((err: unknown) => {
    dummyHash = undefined;
    throw err;
  });
  return dummyHash;
}

const common = new Set(COMMON_PASSWORDS);
/** True when the password is on the shipped list of common passwords (case-insensitive). */
export function isCommonPassword(password: string): boolean {
  return common.has(password.toLowerCase());
}

/** Refuse a password that is on the common list or is the employee id itself (WEAK_PASSWORD). */
export function assertStrongPassword(password: string, employeeId: string): void {
  if (isCommonPassword(password)) {
    throw new AppError('WEAK_PASSWORD', 'That password is too common. Choose a longer one that nobody would guess.');
  }
  if (password.trim().toLowerCase() === employeeId.trim().toLowerCase()) {
    throw new AppError('WEAK_PASSWORD', 'The password must not be your employee ID.');
  }
}
