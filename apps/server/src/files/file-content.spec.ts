import { TextCheck } from './file-content';

function check(chunks: Buffer[]): boolean {
  const t = new TextCheck();
  for (const c of chunks) t.push(c);
  return t.end();
}

describe('TextCheck', () => {
  it('accepts Korean UTF-8 split in the middle of a character across chunks', () => {
    const bytes = Buffer.from('안녕하세요, 회의록입니다.', 'utf8');
    expect(check([bytes.subarray(0, 1), bytes.subarray(1, 4), bytes.subarray(4)])).toBe(true);
  });

  it('refuses invalid UTF-8, a NUL, and a character cut off at the end', () => {
    expect(check([Buffer.from([0x63, 0x61, 0x66, 0xe9])])).toBe(false);
    expect(check([Buffer.from('ab'), Buffer.from([0]), Buffer.from('cd')])).toBe(false);
    expect(check([Buffer.from('가', 'utf8').subarray(0, 2)])).toBe(false);
  });
});
