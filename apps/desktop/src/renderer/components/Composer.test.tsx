import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { initI18n } from '../i18n';
import { Composer } from './Composer';

beforeAll(() => {
  initI18n('en-US');
});
afterEach(cleanup);

function setup() {
  const onSend = vi.fn();
  const onTyping = vi.fn();
  render(<Composer onSend={onSend} onFiles={vi.fn()} onTyping={onTyping} />);
  const box = screen.getByRole('textbox', { name: 'Message' }) as HTMLTextAreaElement;
  return { onSend, onTyping, box };
}

describe('the composer', () => {
  it('Enter sends the message and clears the box', () => {
    const { onSend, box } = setup();
    fireEvent.change(box, { target: { value: '안녕하세요' } });
    fireEvent.keyDown(box, { key: 'Enter' });
    expect(onSend).toHaveBeenCalledWith('안녕하세요');
    expect(box.value).toBe('');
  });

  it('Shift+Enter does not send (the new line stays in the box)', () => {
    const { onSend, box } = setup();
    fireEvent.change(box, { target: { value: 'line 1' } });
    const notPrevented = fireEvent.keyDown(box, { key: 'Enter', shiftKey: true });
    expect(notPrevented).toBe(true);
    expect(onSend).not.toHaveBeenCalled();
    expect(box.value).toBe('line 1');
  });

  it('Enter while a Korean syllable is being composed does not send half a word', () => {
    const { onSend, box } = setup();
    fireEvent.change(box, { target: { value: '안녕' } });
    fireEvent.keyDown(box, { key: 'Enter', isComposing: true });
    expect(onSend).not.toHaveBeenCalled();
  });

  it('does not send blank text, and the Send button sends', () => {
    const { onSend, box } = setup();
    fireEvent.change(box, { target: { value: '   ' } });
    fireEvent.keyDown(box, { key: 'Enter' });
    expect(onSend).not.toHaveBeenCalled();
    fireEvent.change(box, { target: { value: 'hi' } });
    fireEvent.click(screen.getByRole('button', { name: 'Send' }));
    expect(onSend).toHaveBeenCalledWith('hi');
  });

  it('tells the room I am typing, and that I stopped when I send', () => {
    const { onTyping, box } = setup();
    fireEvent.change(box, { target: { value: 'h' } });
    fireEvent.change(box, { target: { value: 'hi' } });
    expect(onTyping).toHaveBeenCalledTimes(1);
    expect(onTyping).toHaveBeenLastCalledWith(true);
    fireEvent.keyDown(box, { key: 'Enter' });
    expect(onTyping).toHaveBeenLastCalledWith(false);
  });
});
