import { createContext, useContext } from 'react';
import type { Platform } from '../shared/platform';
import type { ApiClient } from './api/client';
import type { ChatSession } from './state/session';

export interface AppServices {
  api: ApiClient;
  platform: Platform;
  signOut: () => void;
}

export const AppContext = createContext<AppServices | null>(null);
export const SessionContext = createContext<ChatSession | null>(null);

export function useApp(): AppServices {
  const ctx = useContext(AppContext);
  if (!ctx) throw new Error('useApp outside the app');
  return ctx;
}

export function useSession(): ChatSession {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside a signed-in screen');
  return s;
}
