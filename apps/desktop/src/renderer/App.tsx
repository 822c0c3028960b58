import type { LoginResponse, User } from '@hi-msg/contracts';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { Platform } from '../shared/platform';
import { ApiClient } from './api/client';
import { AppContext, SessionContext, type AppServices } from './app-context';
import { useTranslation } from './i18n';
import { navigate, useRoute } from './lib/route';
import { AdminScreen } from './screens/AdminScreen';
import { LoginScreen, ResetScreen, SignupScreen, type ServerChoice } from './screens/AuthScreens';
import { MainScreen } from './screens/MainScreen';
import { ChatSession, roomTitle } from './state/session';

type Phase = { kind: 'booting' } | { kind: 'signedOut'; notice?: string } | { kind: 'signedIn'; session: ChatSession };

/** Boot (restore the session with the stored refresh token), then the signed-in app or the login screens. */
export function App({ platform }: { platform: Platform }) {
  const { t } = useTranslation();
  const api = useMemo(() => new ApiClient(''), []);
  const [server, setServer] = useState<ServerChoice>({ url: '', locked: false });
  const [phase, setPhase] = useState<Phase>({ kind: 'booting' });
  const route = useRoute();

  const signOutRef = useRef<(notice?: string) => void>(() => undefined);
  // Callbacks read the current language through a ref, so switching it does not restart anything.
  const tRef = useRef(t);
  tRef.current = t;
  const startSession = useCallback(
    (me: User) => {
      const session: ChatSession = new ChatSession(
        {
          api,
          platform,
          serverUrl: api.baseUrl,
          storage: localStorage,
          onSignedOut: (reason) => signOutRef.current(tRef.current(reason === 'account_deleted' ? 'auth.accountDeleted' : 'auth.sessionExpired')),
          quiet: platform.kind === 'electron' && window.location.hash.startsWith('#/admin'),
          onOpenRoom: (roomId) => navigate(`/chats/${roomId}`),
          translateNotify: (m, room) => {
            const sender = room.members.find((x) => x.userId === m.senderId)?.name || tRef.current('room.departed');
            const text = m.body ?? (m.file ? tRef.current('rooms.fileMessage', { name: m.file.name }) : '');
            return room.kind === 'group' ? { title: roomTitle(room, me.id, tRef.current('room.departed')), body: `${sender}: ${text}` } : { title: sender, body: text };
          },
          translateAdminNotice: (kind) => ({ title: tRef.current('admin.title'), body: kind === 'signup' ? tRef.current('admin.newSignup') : tRef.current('admin.newReset') }),
        },
        me,
      );
      platform.setSignedIn({ role: me.role });
      setPhase({ kind: 'signedIn', session });
    },
    [api, platform],
  );

  signOutRef.current = (notice?: string) => {
    setPhase((p) => {
      if (p.kind === 'signedIn') p.session.stop();
      return { kind: 'signedOut', notice };
    });
    const refreshToken = api.refreshToken;
    if (refreshToken) void api.call('logout', { body: { refreshToken } }).catch(() => undefined);
    api.clearTokens();
    void platform.saveSession(null);
    platform.setSignedIn(null);
  };

  useEffect(() => {
    api.onTokens = (pair) => {
      setPhase((p) => {
        if (p.kind === 'signedIn') p.session.reauthenticate(pair.accessToken);
        return p;
      });
      return platform.saveSession(pair.refreshToken);
    };
    api.onSessionLost = () => signOutRef.current(tRef.current('auth.sessionExpired'));
    api.loadRefreshToken = () => platform.loadSession();
  }, [api, platform]);

  // Restore: server address, then the stored refresh token.
  useEffect(() => {
    let cancelled = false;
    void (async () => {
      const [url, presets, token] = await Promise.all([platform.getServerUrl(), platform.getPresets(), platform.loadSession()]);
      const chosen = presets.serverUrl ?? url ?? '';
      if (cancelled) return;
      api.baseUrl = chosen;
      setServer({ url: chosen, locked: presets.locked.includes('serverUrl'), presetWarning: presets.warning });
      if (chosen && token) {
        api.refreshToken = token;
        // The server may be starting or briefly unreachable: try a few times before asking for the password.
        for (let attempt = 0; attempt < 3 && !cancelled; attempt += 1) {
          if (await api.refresh()) {
            const { user } = await api.call('me').catch(() => ({ user: null }));
            if (!cancelled && user) return startSession(user);
            break;
          }
          if (!api.refreshToken) return; // refused: onSessionLost already shows the login screen
          await new Promise((r) => setTimeout(r, 1500));
        }
        if (!cancelled && api.refreshToken) return setPhase({ kind: 'signedOut', notice: tRef.current('errors.INTERNAL') });
      }
      if (!cancelled) setPhase({ kind: 'signedOut' });
    })();
    return () => {
      cancelled = true;
    };
  }, [api, platform, startSession]);

  // The proactive refresh keeps the socket's token fresh without a logout every hour.
  useEffect(() => {
    if (phase.kind !== 'signedIn') return;
    const timer = setInterval(() => void api.refresh(), 45 * 60 * 1000);
    return () => clearInterval(timer);
  }, [api, phase.kind]);

  const onLoggedIn = (res: LoginResponse) => {
    api.setTokens(res);
    void platform.saveSession(res.refreshToken);
    if (!route[0] || ['login', 'signup', 'reset'].includes(route[0])) navigate('/chats');
    startSession(res.user);
  };

  const services: AppServices = useMemo(() => ({ api, platform, signOut: () => signOutRef.current() }), [api, platform, signOutRef]);

  let content;
  if (phase.kind === 'booting') content = <div className="boot" aria-busy="true" />;
  else if (phase.kind === 'signedOut') {
    if (route[0] === 'signup') content = <SignupScreen />;
    else if (route[0] === 'reset') content = <ResetScreen />;
    else
      content = (
        <LoginScreen
          server={server}
          notice={phase.notice}
          onServer={(url) => {
            setServer((s) => ({ ...s, url }));
            void platform.setServerUrl(url);
          }}
          onLoggedIn={onLoggedIn}
        />
      );
  } else {
    content = <SessionContext.Provider value={phase.session}>{route[0] === 'admin' ? <AdminScreen standalone /> : <MainScreen route={route} />}</SessionContext.Provider>;
  }
  return <AppContext.Provider value={services}>{content}</AppContext.Provider>;
}
