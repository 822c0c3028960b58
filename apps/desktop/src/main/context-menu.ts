import type { ContextMenuParams, MenuItemConstructorOptions } from 'electron';

type Params = Pick<ContextMenuParams, 'isEditable' | 'selectionText' | 'misspelledWord' | 'dictionarySuggestions' | 'editFlags'>;

const LABELS = {
  ko: { cut: '잘라내기', copy: '복사', paste: '붙여넣기', selectAll: '모두 선택', noSuggestions: '추천 단어 없음' },
  en: { cut: 'Cut', copy: 'Copy', paste: 'Paste', selectAll: 'Select all', noSuggestions: 'No suggestions' },
};

/**
 * The right-click menu Electron does not provide: spelling fixes and Cut/Copy/Paste in the
 * composer, Copy on selected message text. Empty when there is nothing to offer.
 */
export function contextMenuTemplate(params: Params, locale: string, replaceMisspelling: (word: string) => void): MenuItemConstructorOptions[] {
  const t = locale.toLowerCase().startsWith('ko') ? LABELS.ko : LABELS.en;
  const items: MenuItemConstructorOptions[] = [];
  if (params.isEditable && params.misspelledWord) {
    const suggestions = params.dictionarySuggestions.slice(0, 5);
    if (suggestions.length === 0) items.push({ label: t.noSuggestions, enabled: false });
    for (const word of suggestions) items.push({ label: word, click: () => replaceMisspelling(word) });
    items.push({ type: 'separator' });
  }
  if (params.isEditable) {
    items.push(
      { role: 'cut', label: t.cut, enabled: params.editFlags.canCut },
      { role: 'copy', label: t.copy, enabled: params.editFlags.canCopy },
      { role: 'paste', label: t.paste, enabled: params.editFlags.canPaste },
      { type: 'separator' },
      { role: 'selectAll', label: t.selectAll },
    );
  } else if (params.selectionText.trim()) {
    items.push({ role: 'copy', label: t.copy });
  }
  return items;
}
