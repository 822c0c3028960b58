import { closePasswordHashing, dummyPasswordHash, hashPassword, verifyPassword } from './password';

// Hashes written by earlier releases (scrypt through libuv), which must keep verifying.
const STORED_N17 = 'scrypt$17$8$1$MDEyMzQ1Njc4OWFiY2RlZg$ngr4rDvNGGZ21fcSRYTnB1jd3sMeqclTernLkyhreYg'; // 'Old-Stored-Pass-2025!'
const STORED_N14 = 'scrypt$14$8$1$MDEyMzQ1Njc4OWFiY2RlZg$1RBVdoK0zFEgNOSpVNBc18caJK1ZaxqVOX_BZ2n5aS8'; // 'Ünïcode-Paß-2025' (NFC)

describe('password hashing', () => {
  afterAll(() => closePasswordHashing());

  it('verifies a fresh hash with its password and with nothing else', async () => {
    const hash = await hashPassword('Correct-Horse-2026!');
    expect(hash).toMatch(/^scrypt\$17\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    expect(await verifyPassword('Correct-Horse-2026!', hash)).toBe(true);
    expect(await verifyPassword('Correct-Horse-2026?', hash)).toBe(false);
    expect(await verifyPassword('', hash)).toBe(false);
  });

  it('salts every hash afresh', async () => {
    const [a, b] = await Promise.all([hashPassword('Same-Pass-2026!'), hashPassword('Same-Pass-2026!')]);
    expect(a).not.toBe(b);
  });

  it('verifies hashes stored by earlier releases, with the cost they were made with', async () => {
    expect(await verifyPassword('Old-Stored-Pass-2025!', STORED_N17)).toBe(true);
    expect(await verifyPassword('old-stored-pass-2025!', STORED_N17)).toBe(false);
    // The password is compared in NFC whatever form the keyboard sent.
    expect(await verifyPassword('Ünïcode-Paß-2025'.normalize('NFD'), STORED_N14)).toBe(true);
    expect(await verifyPassword('Unicode-Pass-2025', STORED_N14)).toBe(false);
  });

  it('refuses what is not a scrypt hash', async () => {
    expect(await verifyPassword('x', 'bcrypt$2b$10$abc$def')).toBe(false);
    expect(await verifyPassword('x', '')).toBe(false);
  });

  it('keeps one dummy hash that no password is likely to match', async () => {
    const dummy = await dummyPasswordHash();
    expect(await dummyPasswordHash()).toBe(dummy);
    expect(await verifyPassword('', dummy)).toBe(false);
  });
});
