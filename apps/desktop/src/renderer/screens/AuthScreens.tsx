import { RegisterRequestSchema, type LoginResponse, type ResetStatus } from '@hi-msg/contracts';
import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { useApp } from '../app-context';
import { Field, ErrorText } from '../components/ui';
import { useTranslation } from '../i18n';
import { navigate } from '../lib/route';
import { requestNotificationPermission } from '../platform/web-platform';

function AuthCard({ title, children }: { title: string; children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <main className="auth">
      <div className="auth-card">
        <div className="logo" aria-hidden="true">
          <span>Hi</span>
        </div>
        <h1 className="brand">{t('app.name')}</h1>
        <h2>{title}</h2>
        {children}
      </div>
    </main>
  );
}

export interface ServerChoice {
  url: string;
  locked: boolean;
  /** Why IT's preset file was ignored, when it was malformed. */
  presetWarning?: string;
}

/** Login, with the server address when it is not preset (the web client defaults to its own origin). */
export function LoginScreen({ server, onServer, onLoggedIn, notice }: { server: ServerChoice; onServer: (url: string) => void; onLoggedIn: (res: LoginResponse) => void; notice?: string }) {
  const { t } = useTranslation();
  const { api } = useApp();
  const [employeeId, setEmployeeId] = useState('');
  const [password, setPassword] = useState('');
  const [editServer, setEditServer] = useState(!server.url);
  const [url, setUrl] = useState(server.url);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    requestNotificationPermission();
    setBusy(true);
    setError(null);
    const target = url.trim().replace(/\/+$/, '');
    if (target !== server.url) onServer(target);
    api.baseUrl = target;
    api
      .call('login', { body: { employeeId: employeeId.trim(), password, device: navigator.userAgent.slice(0, 120) } })
      .then(onLoggedIn, (err: unknown) => {
        setError(err);
        setBusy(false);
      });
  };

  return (
    <AuthCard title={t('auth.loginTitle')}>
      <form onSubmit={submit}>
        {notice && <p className="notice">{notice}</p>}
        {server.presetWarning && <p className="notice">{t('auth.presetWarning', { why: server.presetWarning })}</p>}
        {editServer && !server.locked ? (
          <Field label={t('auth.serverUrl')} value={url} onChange={setUrl} type="url" required help={t('auth.serverHelp')} />
        ) : (
          <p className="server-line">
            <span>{url}</span>{' '}
            {server.locked ? (
              <small>({t('auth.serverLocked')})</small>
            ) : (
              <button type="button" className="link" onClick={() => setEditServer(true)}>
                {t('auth.changeServer')}
              </button>
            )}
          </p>
        )}
        <Field label={t('auth.employeeId')} value={employeeId} onChange={setEmployeeId} autoComplete="username" required autoFocus />
        <Field label={t('auth.password')} type="password" value={password} onChange={setPassword} autoComplete="current-password" required />
        <ErrorText error={error} />
        <button type="submit" className="primary wide" disabled={busy}>
          {t('auth.login')}
        </button>
      </form>
      <nav className="auth-links">
        <a href="#/signup">{t('auth.signup')}</a>
        <a href="#/reset">{t('auth.forgotPassword')}</a>
      </nav>
    </AuthCard>
  );
}

export function SignupScreen() {
  const { t } = useTranslation();
  const { api } = useApp();
  const [form, setForm] = useState({ employeeId: '', name: '', email: '', department: '', position: '', grade: '', password: '', confirm: '' });
  const [error, setError] = useState<unknown>(null);
  const [mismatch, setMismatch] = useState(false);
  const [done, setDone] = useState(false);
  const set = (k: keyof typeof form) => (v: string) => setForm((f) => ({ ...f, [k]: v }));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setMismatch(form.password !== form.confirm);
    if (form.password !== form.confirm) return;
    const { confirm: _c, ...body } = form;
    const parsed = RegisterRequestSchema.safeParse(body);
    if (!parsed.success) {
      setError({ code: 'VALIDATION_FAILED' });
      return;
    }
    api.call('register', { body: parsed.data }).then(() => setDone(true), setError);
  };

  if (done) {
    return (
      <AuthCard title={t('auth.waitingApproval')}>
        <p className="notice" role="status">
          {t('auth.signupDone')}
        </p>
        <button type="button" className="primary wide" onClick={() => navigate('/login')}>
          {t('auth.backToLogin')}
        </button>
      </AuthCard>
    );
  }
  return (
    <AuthCard title={t('auth.signupTitle')}>
      <form onSubmit={submit}>
        <Field label={t('auth.employeeId')} value={form.employeeId} onChange={set('employeeId')} autoComplete="username" required />
        <Field label={t('auth.name')} value={form.name} onChange={set('name')} required />
        <Field label={t('auth.email')} type="email" value={form.email} onChange={set('email')} required />
        <div className="row3">
          <Field label={t('auth.department')} value={form.department} onChange={set('department')} required />
          <Field label={t('auth.position')} value={form.position} onChange={set('position')} required />
          <Field label={t('auth.grade')} value={form.grade} onChange={set('grade')} required />
        </div>
        <Field label={t('auth.password')} type="password" value={form.password} onChange={set('password')} autoComplete="new-password" required />
        <Field label={t('auth.passwordConfirm')} type="password" value={form.confirm} onChange={set('confirm')} autoComplete="new-password" required />
        {mismatch && (
          <p className="error" role="alert">
            {t('auth.passwordMismatch')}
          </p>
        )}
        <ErrorText error={error} />
        <button type="submit" className="primary wide">
          {t('auth.signup')}
        </button>
      </form>
      <nav className="auth-links">
        <a href="#/login">{t('auth.backToLogin')}</a>
      </nav>
    </AuthCard>
  );
}

const TICKET_KEY = 'hiMsg.resetTicket';
const CODE_KEY = 'hiMsg.resetCode';

/** Password reset: request → status (polled) → new password. The ticket stays on this device. */
export function ResetScreen() {
  const { t } = useTranslation();
  const { api } = useApp();
  const [ticket, setTicket] = useState(() => localStorage.getItem(TICKET_KEY));
  const [code, setCode] = useState(() => localStorage.getItem(CODE_KEY));
  const [status, setStatus] = useState<ResetStatus | null>(null);
  const [employeeId, setEmployeeId] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    if (!ticket) return;
    let stop = false;
    const poll = () =>
      api.call('resetStatus', { body: { ticket } }).then(
        (r) => !stop && setStatus(r.status),
        (err: unknown) => !stop && setError(err),
      );
    void poll();
    const timer = setInterval(() => void poll(), 3000);
    return () => {
      stop = true;
      clearInterval(timer);
    };
  }, [api, ticket]);

  const startOver = () => {
    localStorage.removeItem(TICKET_KEY);
    localStorage.removeItem(CODE_KEY);
    setTicket(null);
    setCode(null);
    setStatus(null);
    setError(null);
  };

  const request = (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    api.call('resetRequest', { body: { employeeId: employeeId.trim(), email: email.trim() } }).then((r) => {
      localStorage.setItem(TICKET_KEY, r.ticket);
      localStorage.setItem(CODE_KEY, r.code);
      setTicket(r.ticket);
      setCode(r.code);
    }, setError);
  };

  const complete = (e: FormEvent) => {
    e.preventDefault();
    if (!ticket) return;
    setError(null);
    api.call('resetComplete', { body: { ticket, newPassword: password } }).then(() => {
      localStorage.removeItem(TICKET_KEY);
      localStorage.removeItem(CODE_KEY);
      setStatus('completed');
    }, setError);
  };

  return (
    <AuthCard title={t('reset.title')}>
      {!ticket && status !== 'completed' ? (
        <form onSubmit={request}>
          <p className="help">{t('reset.explain')}</p>
          <Field label={t('auth.employeeId')} value={employeeId} onChange={setEmployeeId} required />
          <Field label={t('auth.email')} type="email" value={email} onChange={setEmail} required />
          <ErrorText error={error} />
          <button type="submit" className="primary wide">
            {t('reset.request')}
          </button>
        </form>
      ) : (
        <div>
          <h3>{t('reset.statusTitle')}</h3>
          <p className="notice" role="status">
            {status ? t(`reset.status_${status}`) : t('common.loading')}
          </p>
          {code && status === 'pending' && (
            <p className="reset-code">
              {t('reset.codeExplain')} <strong aria-label={t('reset.code')}>{code}</strong>
            </p>
          )}
          {status === 'approved' && (
            <form onSubmit={complete}>
              <Field label={t('reset.newPassword')} type="password" value={password} onChange={setPassword} autoComplete="new-password" required />
              <button type="submit" className="primary wide">
                {t('reset.setPassword')}
              </button>
            </form>
          )}
          <ErrorText error={error} />
          {(status === 'rejected' || status === 'expired' || (error !== null && status !== 'approved')) && (
            <button type="button" onClick={startOver}>
              {t('reset.startOver')}
            </button>
          )}
        </div>
      )}
      <nav className="auth-links">
        <a href="#/login">{t('auth.backToLogin')}</a>
      </nav>
    </AuthCard>
  );
}
