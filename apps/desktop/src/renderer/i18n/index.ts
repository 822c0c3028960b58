import i18next from 'i18next';
import { initReactI18next, useTranslation } from 'react-i18next';
import { en } from './en';
import { ko } from './ko';

export const LANGUAGES = ['ko', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
const LANG_KEY = 'hiMsg.language';

/** Korean for a Korean OS locale, English otherwise; a choice made on My page wins. */
export function pickLanguage(locale: string, saved: string | null): Language {
  if (saved === 'ko' || saved === 'en') return saved;
  return locale.toLowerCase().startsWith('ko') ? 'ko' : 'en';
}

export function initI18n(locale: string): typeof i18next {
  void i18next.use(initReactI18next).init({
    resources: { en: { translation: en }, ko: { translation: ko } },
    lng: pickLanguage(locale, typeof localStorage === 'undefined' ? null : localStorage.getItem(LANG_KEY)),
    fallbackLng: 'en',
    interpolation: { escapeValue: false },
    initAsync: false,
    showSupportNotice: false,
  });
  return i18next;
}

export function setLanguage(lang: Language): void {
  localStorage.setItem(LANG_KEY, lang);
  void i18next.changeLanguage(lang);
  document.documentElement.lang = lang;
}

export { useTranslation };
