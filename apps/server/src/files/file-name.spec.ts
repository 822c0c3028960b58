import { contentDisposition, extensionOf, sanitizeFileName } from './file-name';

describe('sanitizeFileName', () => {
  it.each([
    ['../../etc/passwd.txt', 'passwd.txt'],
    ['C:\\Users\\me\\보고서.docx', '보고서.docx'],
    ['a\u0000b\u0007c.txt', 'abc.txt'],
    ['photo\u202Egnp.exe', 'photognp.exe'],
    ['  spaced.pdf  ', 'spaced.pdf'],
    ['..', 'file'],
    ['', 'file'],
  ])('%j → %j', (raw, expected) => {
    expect(sanitizeFileName(raw)).toBe(expected);
  });

  it('composes decomposed Hangul (as macOS sends it) to NFC', () => {
    const nfd = '한글.txt'.normalize('NFD');
    expect(sanitizeFileName(nfd)).toBe('한글.txt'.normalize('NFC'));
  });

  it('caps a long name at 255 bytes of UTF-8, keeping the extension and whole characters', () => {
    const out = sanitizeFileName(`${'가'.repeat(200)}.pptx`);
    expect(Buffer.byteLength(out)).toBeLessThanOrEqual(255);
    expect(out.endsWith('.pptx')).toBe(true);
    expect(out).not.toContain('\ufffd');
  });
});

describe('extensionOf', () => {
  it('lower-cases the last extension and ignores leading dots', () => {
    expect(extensionOf('Report.Final.PDF')).toBe('pdf');
    expect(extensionOf('.bashrc')).toBe('');
    expect(extensionOf('README')).toBe('');
  });
});

describe('contentDisposition', () => {
  it('gives an ASCII fallback and the exact UTF-8 name in filename*', () => {
    const header = contentDisposition('attachment', '보고서 "최종"(1).pdf');
    expect(header).toMatch(/^attachment; filename="[\x20-\x7e]*"; filename\*=UTF-8''/);
    expect(header).not.toMatch(/[^\x20-\x7e]/);
    expect(decodeURIComponent(header.split("UTF-8''")[1])).toBe('보고서 "최종"(1).pdf');
    expect(header.split("UTF-8''")[1]).not.toMatch(/[()'*]/);
  });
});
