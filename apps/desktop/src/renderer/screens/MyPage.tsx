import { useState, type FormEvent } from 'react';
import { useApp, useSession } from '../app-context';
import { Avatar, ErrorText, Field } from '../components/ui';
import { LANGUAGES, setLanguage, useTranslation, type Language } from '../i18n';
import { useStore } from '../lib/store';
import { roomTitle } from '../state/session';

/** Profile, password change, notification settings (do-not-disturb, per-room mute), language. */
export function MyPage() {
  const { t, i18n } = useTranslation();
  const session = useSession();
  const { api, signOut } = useApp();
  const me = useStore(session.store, (s) => s.me);
  const dnd = useStore(session.store, (s) => s.dnd);
  const rooms = useStore(session.store, (s) => s.rooms);
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [pwError, setPwError] = useState<unknown>(null);
  const [pwDone, setPwDone] = useState(false);
  const [muteError, setMuteError] = useState<unknown>(null);

  const changePassword = (e: FormEvent) => {
    e.preventDefault();
    setPwError(null);
    setPwDone(false);
    api.call('changePassword', { body: { currentPassword: current, newPassword: next } }).then(() => {
      setPwDone(true);
      setCurrent('');
      setNext('');
    }, setPwError);
  };

  const profile: [string, string][] = [
    [t('auth.employeeId'), me.employeeId],
    [t('auth.email'), me.email],
    [t('auth.department'), me.department],
    [t('auth.position'), me.position],
    [t('auth.grade'), me.grade],
  ];

  return (
    <section className="page">
      <h1>{t('nav.me')}</h1>
      <div className="card profile">
        <Avatar name={me.name} size={64} />
        <div>
          <h2>{me.name}</h2>
          <span className="sub">{t(`me.role_${me.role}`)}</span>
        </div>
        <dl>
          {profile.map(([k, v]) => (
            <div key={k}>
              <dt>{k}</dt>
              <dd>{v}</dd>
            </div>
          ))}
        </dl>
        <button type="button" onClick={signOut}>
          {t('auth.logout')}
        </button>
      </div>

      <form className="card" onSubmit={changePassword}>
        <h2>{t('me.changePassword')}</h2>
        <Field label={t('me.currentPassword')} type="password" value={current} onChange={setCurrent} autoComplete="current-password" required />
        <Field label={t('me.newPassword')} type="password" value={next} onChange={setNext} autoComplete="new-password" required />
        <ErrorText error={pwError} />
        {pwDone && (
          <p className="notice" role="status">
            {t('me.changed')}
          </p>
        )}
        <button type="submit" className="primary">
          {t('me.changePassword')}
        </button>
      </form>

      <div className="card">
        <h2>{t('me.notifications')}</h2>
        <label className="switch">
          <input type="checkbox" checked={dnd} onChange={(e) => session.setDnd(e.target.checked)} />
          <span>{t('me.dnd')}</span>
        </label>
        <p className="help">{t('me.dndHelp')}</p>
        <h3>{t('me.mutedRooms')}</h3>
        <ErrorText error={muteError} />
        <ul className="mute-list">
          {Object.values(rooms).map((r) => (
            <li key={r.id}>
              <label className="switch">
                <input type="checkbox" checked={!r.muted} onChange={(e) => void session.setMuted(r.id, !e.target.checked).catch(setMuteError)} />
                <span>{roomTitle(r, me.id, t('room.departed'))}</span>
              </label>
            </li>
          ))}
        </ul>
      </div>

      <div className="card">
        <h2>{t('me.language')}</h2>
        <select aria-label={t('me.language')} value={i18n.language} onChange={(e) => setLanguage(e.target.value as Language)}>
          {LANGUAGES.map((l) => (
            <option key={l} value={l}>
              {l === 'ko' ? '한국어' : 'English'}
            </option>
          ))}
        </select>
      </div>
    </section>
  );
}
