import type { AdminRoomItem, ResetRequestItem, User } from '@hi-msg/contracts';
import { useCallback, useEffect, useState } from 'react';
import { useApp, useSession } from '../app-context';
import { ConfirmDialog, ErrorText } from '../components/ui';
import { useTranslation } from '../i18n';
import { useStore } from '../lib/store';
import { useDebounced, usePaged, type Paged } from '../lib/use-paged';

type Tab = 'pending' | 'resets' | 'users' | 'rooms' | 'audit';
const TABS: Tab[] = ['pending', 'resets', 'users', 'rooms', 'audit'];

/** The admin screen (what the admin window loads at #/admin). */
export function AdminScreen({ standalone }: { standalone?: boolean }) {
  const { t, i18n } = useTranslation();
  const { api, platform } = useApp();
  const session = useSession();
  const adminPending = useStore(session.store, (s) => s.adminPending);
  const [tab, setTab] = useState<Tab>('pending');
  const [pending, setPending] = useState<User[]>([]);
  const [resets, setResets] = useState<ResetRequestItem[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [deleting, setDeleting] = useState<User | null>(null);
  const [deletingRoom, setDeletingRoom] = useState<AdminRoomItem | null>(null);
  const [roomSearch, setRoomSearch] = useState('');
  const roomQuery = useDebounced(roomSearch.trim(), 250);
  const rooms = usePaged((cursor) => api.call('adminRooms', { query: { limit: 50, ...(roomQuery ? { q: roomQuery } : {}), ...(cursor ? { cursor } : {}) } }).then((r) => ({ items: r.rooms, nextCursor: r.nextCursor })), `rooms:${roomQuery}`);
  const [search, setSearch] = useState('');
  const query = useDebounced(search.trim(), 250);
  const users = usePaged((cursor) => api.call('users', { query: { limit: 50, ...(query ? { q: query } : {}), ...(cursor ? { cursor } : {}) } }).then((r) => ({ items: r.users, nextCursor: r.nextCursor })), `users:${query}`);
  const audit = usePaged((cursor) => api.call('auditLog', { query: { limit: 50, ...(cursor ? { cursor } : {}) } }).then((r) => ({ items: r.entries, nextCursor: r.nextCursor })), 'audit');

  const reload = useCallback(async () => {
    try {
      setError(null);
      const [p, r] = await Promise.all([api.call('pendingUsers'), api.call('resetRequests')]);
      setPending(p.users);
      setResets(r.requests);
    } catch (err) {
      setError(err);
    }
  }, [api]);

  // Reload when the server announces a new signup or reset request, and every 15 s.
  useEffect(() => {
    void reload();
    const timer = setInterval(() => void reload(), 15000);
    return () => clearInterval(timer);
  }, [reload, adminPending]);

  /** After a decision: the queues, the user list (an approval adds someone) and the log. */
  const afterChange = () => {
    void reload();
    users.reload();
    rooms.reload();
    audit.reload();
  };
  const act = (p: Promise<unknown>) => {
    p.then(afterChange, setError);
  };

  if (session.me.role !== 'admin') {
    return (
      <main className="page">
        <ErrorText error={{ code: 'ADMIN_ONLY' }} />
      </main>
    );
  }

  const time = (iso: string) => new Date(iso).toLocaleString(i18n.language);
  // Audit rows hold ids; show the person's name and employee ID where we know them.
  const people = new Map([...users.items, ...pending, ...resets.map((r) => r.user)].map((u) => [u.id, `${u.name} (${u.employeeId})`]));
  const nameOf = (id: string | null) => (id ? (people.get(id) ?? id) : '');
  const counts = { pending: pending.length, resets: resets.filter((r) => r.status === 'pending').length };

  return (
    <main className="page admin">
      <header className="admin-header">
        <h1>{t('admin.title')}</h1>
        {standalone && platform.kind === 'web' && <a href="#/chats">{t('admin.backToApp')}</a>}
      </header>
      <div role="tablist" className="tabs">
        {TABS.map((k) => (
          <button key={k} role="tab" type="button" aria-selected={tab === k} className={tab === k ? 'active' : ''} onClick={() => setTab(k)}>
            {t(`admin.${k}`)} {(k === 'pending' || k === 'resets') && counts[k] > 0 && <span className="badge">{counts[k]}</span>}
          </button>
        ))}
      </div>
      <ErrorText error={error} />
      <div role="tabpanel" className="card">
        {tab === 'pending' && (
          <Table
            empty={pending.length === 0}
            head={[t('auth.name'), t('auth.employeeId'), t('auth.department'), t('auth.position'), t('auth.email'), '']}
            rows={pending.map((u) => [
              u.name,
              u.employeeId,
              u.department,
              u.position,
              u.email,
              <span className="row-actions" key="a">
                <button type="button" className="primary" aria-label={t('admin.approveUser', { name: u.name })} onClick={() => act(api.call('approveUser', { params: { id: u.id } }))}>
                  {t('admin.approve')}
                </button>
                <button type="button" aria-label={t('admin.rejectUser', { name: u.name })} onClick={() => act(api.call('rejectUser', { params: { id: u.id } }))}>
                  {t('admin.reject')}
                </button>
              </span>,
            ])}
          />
        )}
        {tab === 'resets' && (
          <Table
            empty={resets.length === 0}
            head={[t('auth.name'), t('auth.employeeId'), t('admin.requestedAt'), t('admin.checkCode'), t('admin.status'), '']}
            rows={resets.map((r) => [
              r.user.name,
              r.user.employeeId,
              time(r.requestedAt),
              <span className="reset-code" key="c" title={t('admin.checkCodeHelp')}>
                {r.code}
              </span>,
              t(`reset.status_${r.status}`),
              r.status === 'pending' ? (
                <span className="row-actions" key="a">
                  <button type="button" className="primary" aria-label={t('admin.approveReset', { name: r.user.name })} onClick={() => act(api.call('resetApprove', { params: { id: r.id } }))}>
                    {t('admin.approve')}
                  </button>
                  <button type="button" aria-label={t('admin.rejectReset', { name: r.user.name })} onClick={() => act(api.call('resetReject', { params: { id: r.id } }))}>
                    {t('admin.reject')}
                  </button>
                </span>
              ) : (
                ''
              ),
            ])}
          />
        )}
        {tab === 'users' && (
          <>
            <input type="search" className="admin-search" aria-label={t('admin.searchUsers')} placeholder={t('admin.searchUsers')} value={search} onChange={(e) => setSearch(e.target.value)} />
            <Table
              empty={users.items.length === 0 && !users.loading}
              head={[t('auth.name'), t('auth.employeeId'), t('auth.department'), t('auth.position'), t('auth.grade'), '']}
              rows={users.items.map((u) => [
                u.name,
                u.employeeId,
                u.department,
                u.position,
                u.grade,
                u.id === session.me.id ? (
                  ''
                ) : (
                  <button type="button" className="danger" key="d" aria-label={t('admin.deleteUser', { name: u.name })} onClick={() => setDeleting(u)}>
                    {t('common.delete')}
                  </button>
                ),
              ])}
            />
            <MoreButton list={users} />
          </>
        )}
        {tab === 'rooms' && (
          <>
            <input type="search" className="admin-search" aria-label={t('admin.searchRooms')} placeholder={t('admin.searchRooms')} value={roomSearch} onChange={(e) => setRoomSearch(e.target.value)} />
            <Table
              empty={rooms.items.length === 0 && !rooms.loading}
              head={[t('admin.roomName'), t('admin.roomMembers'), t('admin.lastActivity'), '']}
              rows={rooms.items.map((r) => [
                r.kind === 'group' ? (r.name ?? '') : t('admin.directRoom'),
                r.memberCount === 0 ? t('admin.roomEmpty') : `${r.memberNames.join(', ')}${r.memberCount > r.memberNames.length ? ` +${r.memberCount - r.memberNames.length}` : ''}`,
                time(r.lastMessageAt ?? r.createdAt),
                <button type="button" className="danger" key="d" aria-label={t('admin.deleteRoom', { name: r.name ?? r.memberNames.join(', ') })} onClick={() => setDeletingRoom(r)}>
                  {t('common.delete')}
                </button>,
              ])}
            />
            <MoreButton list={rooms} />
          </>
        )}
        {tab === 'audit' && (
          <>
            <Table
              empty={audit.items.length === 0 && !audit.loading}
              head={[t('admin.at'), t('admin.action'), t('admin.actor'), t('admin.target'), t('admin.detail')]}
              rows={audit.items.map((e) => [time(e.at), e.action, nameOf(e.actorId), nameOf(e.target), e.detail ?? ''])}
            />
            <MoreButton list={audit} />
          </>
        )}
      </div>
      {deletingRoom && (
        <ConfirmDialog
          title={t('room.deleteRoom')}
          message={t('room.deleteRoomConfirm')}
          confirmLabel={t('common.delete')}
          onClose={() => setDeletingRoom(null)}
          onConfirm={() => api.call('deleteRoom', { params: { id: deletingRoom.id } }).then(afterChange)}
        />
      )}
      {deleting && (
        <ConfirmDialog
          title={t('admin.deleteConfirmTitle')}
          message={t('admin.deleteConfirm', { name: deleting.name, employeeId: deleting.employeeId })}
          confirmLabel={t('common.delete')}
          onClose={() => setDeleting(null)}
          onConfirm={() => api.call('deleteUser', { params: { id: deleting.id } }).then(afterChange)}
        />
      )}
    </main>
  );
}

/** The next page of a list, with what went wrong fetching it. */
function MoreButton<T>({ list }: { list: Paged<T> }) {
  const { t } = useTranslation();
  return (
    <>
      <ErrorText error={list.error} />
      {list.hasMore && (
        <button type="button" className="more" disabled={list.loading} onClick={list.more}>
          {list.loading ? t('common.loading') : t('admin.more')}
        </button>
      )}
    </>
  );
}

function Table({ head, rows, empty }: { head: string[]; rows: React.ReactNode[][]; empty: boolean }) {
  const { t } = useTranslation();
  if (empty) return <p className="empty">{t('admin.none')}</p>;
  return (
    <table>
      <thead>
        <tr>
          {head.map((h, i) => (
            <th key={i}>{h}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((r, i) => (
          <tr key={i}>
            {r.map((c, j) => (
              <td key={j}>{c}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
