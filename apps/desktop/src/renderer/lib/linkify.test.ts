import { describe, expect, it } from 'vitest';
import { linkify } from './linkify';

describe('links in a message', () => {
  it('finds http and https addresses among Korean text and leaves the rest as it was', () => {
    const text = '회의록은 https://wiki.corp.example/meetings/2026-12?week=49#decisions 에 있고, 자료는 http://10.1.2.3:8080/files 입니다';
    const parts = linkify(text);
    expect(parts.filter((p) => p.url).map((p) => p.url)).toEqual(['https://wiki.corp.example/meetings/2026-12?week=49#decisions', 'http://10.1.2.3:8080/files']);
    expect(parts.map((p) => p.text).join('')).toBe(text);
  });

  it('leaves out a particle, sentence punctuation and an unopened parenthesis after the address', () => {
    expect(linkify('https://intranet.corp/notice에서 확인하세요.')[0]).toEqual({ text: 'https://intranet.corp/notice', url: 'https://intranet.corp/notice' });
    expect(linkify('보세요: https://a.example/x.')[1]!.url).toBe('https://a.example/x');
    expect(linkify('(https://a.example/b) 참고')[1]!.url).toBe('https://a.example/b');
    expect(linkify('https://en.wikipedia.org/wiki/Seoul_(city), 참고')[0]!.url).toBe('https://en.wikipedia.org/wiki/Seoul_(city)');
  });

  it('makes no link of other schemes or of an address with no host', () => {
    for (const text of ['javascript:alert(1)', 'file:///C:/secret.txt', 'https:// 띄어쓰기', 'ftp://files.corp/x', 'http://']) {
      expect(linkify(text).every((p) => !p.url)).toBe(true);
    }
    expect(linkify('')).toEqual([]);
  });
});
