import { useCallback, useEffect, useRef, useState } from 'react';

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface Paged<T> {
  items: T[];
  /** A further page exists. */
  hasMore: boolean;
  loading: boolean;
  error: unknown;
  /** Fetch the next page and append it. */
  more: () => void;
  /** Start again from the first page (after a change, or on a new query). */
  reload: () => void;
}

/**
 * A list the server pages by cursor: the first page on mount and whenever `key` changes (a new
 * search), the next on `more()`. An answer for a superseded key is dropped.
 */
export function usePaged<T>(fetchPage: (cursor: string | undefined) => Promise<Page<T>>, key: string): Paged<T> {
  const [items, setItems] = useState<T[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const generation = useRef(0);
  const fetchRef = useRef(fetchPage);
  fetchRef.current = fetchPage;

  const load = useCallback((from: string | undefined, append: boolean) => {
    const mine = ++generation.current;
    setLoading(true);
    setError(null);
    fetchRef.current(from).then(
      (page) => {
        if (mine !== generation.current) return;
        setItems((prev) => (append ? [...prev, ...page.items] : page.items));
        setCursor(page.nextCursor);
        setLoading(false);
      },
      (err: unknown) => {
        if (mine !== generation.current) return;
        setError(err);
        setLoading(false);
      },
    );
  }, []);

  useEffect(() => load(undefined, false), [load, key]);

  return {
    items,
    hasMore: cursor !== null,
    loading,
    error,
    more: () => {
      if (cursor !== null && !loading) load(cursor, true);
    },
    reload: () => load(undefined, false),
  };
}

/** The value once it has stopped changing for `ms` (a search box asked as the typing pauses, not for every letter). */
export function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}
