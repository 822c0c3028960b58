import { Fragment, useMemo } from 'react';
import { useApp } from '../app-context';
import { linkify } from '../lib/linkify';

/** A message's text with its web addresses as links that open in the browser, never in the app. */
export function MessageText({ text }: { text: string }) {
  const { platform } = useApp();
  const parts = useMemo(() => linkify(text), [text]);
  return (
    <>
      {parts.map((p, i) =>
        p.url ? (
          <a
            key={i}
            href={p.url}
            rel="noopener noreferrer"
            onClick={(e) => {
              e.preventDefault();
              platform.openExternal(p.url);
            }}
          >
            {p.text}
          </a>
        ) : (
          <Fragment key={i}>{p.text}</Fragment>
        ),
      )}
    </>
  );
}
