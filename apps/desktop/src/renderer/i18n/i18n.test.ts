import { ERROR_CODES } from '@hi-msg/contracts';
import { describe, expect, it } from 'vitest';
import { en } from './en';
import { initI18n, pickLanguage } from './index';
import { ko } from './ko';

function keys(obj: object, prefix = ''): string[] {
  return Object.entries(obj).flatMap(([k, v]) => (typeof v === 'string' ? [`${prefix}${k}`] : keys(v as object, `${prefix}${k}.`)));
}

describe('translations', () => {
  it('every error code of the contracts has a Korean and an English message', () => {
    const i18n = initI18n('en-US');
    for (const code of ERROR_CODES) {
      for (const lng of ['en', 'ko']) {
        const text = i18n.t(`errors.${code}`, { lng });
        expect(text, `${lng} ${code}`).not.toBe(`errors.${code}`);
        expect(text.length, `${lng} ${code}`).toBeGreaterThan(5);
      }
      expect(ko.errors[code]).not.toBe(en.errors[code]);
      expect(ko.errors[code]).toMatch(/[가-힣]/);
    }
  });

  it('Korean and English have the same keys', () => {
    expect(keys(ko).sort()).toEqual(keys(en).sort());
  });

  it('the OS locale chooses the language unless the user picked one', () => {
    expect(pickLanguage('ko-KR', null)).toBe('ko');
    expect(pickLanguage('ko', null)).toBe('ko');
    expect(pickLanguage('en-US', null)).toBe('en');
    expect(pickLanguage('ja-JP', null)).toBe('en');
    expect(pickLanguage('ko-KR', 'en')).toBe('en');
  });
});
