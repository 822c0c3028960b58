import { useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from '../i18n';
import { Icon } from './icons';

export interface ComposerProps {
  onSend: (body: string) => void;
  onFiles: (files: File[]) => void;
  onTyping?: (typing: boolean) => void;
}

const TYPING_IDLE_MS = 3000;

/** Enter sends, Shift+Enter makes a new line; IME composition (Korean input) is never cut short. */
export function Composer({ onSend, onFiles, onTyping }: ComposerProps) {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const fileInput = useRef<HTMLInputElement>(null);
  const typingTimer = useRef<ReturnType<typeof setTimeout> | null>(null);

  const stopTyping = () => {
    if (typingTimer.current) {
      clearTimeout(typingTimer.current);
      typingTimer.current = null;
      onTyping?.(false);
    }
  };

  const send = () => {
    const body = text.trim();
    if (!body) return;
    onSend(body);
    setText('');
    stopTyping();
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      send();
    }
  };

  const onChange = (value: string) => {
    setText(value);
    if (!onTyping) return;
    if (!typingTimer.current) onTyping(true);
    else clearTimeout(typingTimer.current);
    typingTimer.current = setTimeout(stopTyping, TYPING_IDLE_MS);
  };

  return (
    <div className="composer">
      <button type="button" className="icon-button attach" aria-label={t('room.attach')} title={t('room.attach')} onClick={() => fileInput.current?.click()}>
        <Icon.attach />
      </button>
      <input
        ref={fileInput}
        type="file"
        hidden
        multiple
        aria-label={t('room.attach')}
        data-testid="file-input"
        onChange={(e) => {
          const files = [...(e.target.files ?? [])];
          e.target.value = '';
          if (files.length) onFiles(files);
        }}
      />
      <textarea aria-label={t('room.message')} placeholder={t('room.placeholder')} value={text} rows={3} onChange={(e) => onChange(e.target.value)} onKeyDown={onKeyDown} onBlur={stopTyping} />
      <button type="button" className="primary send" onClick={send} disabled={!text.trim()}>
        {t('room.send')}
      </button>
    </div>
  );
}
