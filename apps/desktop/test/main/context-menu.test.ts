import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import { contextMenuTemplate } from '../../src/main/context-menu';
import { spy } from './helpers';

const flags = { canUndo: false, canRedo: false, canCut: true, canCopy: true, canPaste: true, canDelete: true, canSelectAll: true, canEditRichly: false };
const base = { isEditable: false, selectionText: '', misspelledWord: '', dictionarySuggestions: [] as string[], editFlags: flags };
const shape = (items: MenuItemConstructorOptions[]): (string | undefined)[] => items.map((i) => i.role ?? i.label ?? i.type);

describe('context menu', () => {
  it('offers nothing on plain page content', () => {
    expect(contextMenuTemplate(base, 'en', spy())).toEqual([]);
  });

  it('offers Copy on selected message text', () => {
    expect(shape(contextMenuTemplate({ ...base, selectionText: '회의 3시' }, 'ko', spy()))).toEqual(['copy']);
  });

  it('offers Cut, Copy, Paste, Select all in the composer, enabled as the page allows', () => {
    const items = contextMenuTemplate({ ...base, isEditable: true, editFlags: { ...flags, canCut: false, canCopy: false } }, 'ko-KR', spy());
    expect(shape(items)).toEqual(['cut', 'copy', 'paste', 'separator', 'selectAll']);
    expect(items.map((i) => i.enabled)).toEqual([false, false, true, undefined, undefined]);
    expect(items[2]!.label).toBe('붙여넣기');
  });

  it('offers spelling fixes that replace the word', () => {
    const replace = spy();
    const items = contextMenuTemplate({ ...base, isEditable: true, misspelledWord: 'teh', dictionarySuggestions: ['the', 'ten'] }, 'en', replace);
    expect(shape(items).slice(0, 3)).toEqual(['the', 'ten', 'separator']);
    (items[0]!.click as () => void)();
    expect(replace).toHaveBeenCalledWith('the');
  });
});
