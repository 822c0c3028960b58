import type { Room, User } from '@hi-msg/contracts';
import { useEffect, useMemo, useState } from 'react';
import { useApp, useSession } from '../app-context';
import { Icon } from '../components/icons';
import { Avatar } from '../components/ui';
import { useTranslation } from '../i18n';
import { formatListTime } from '../lib/format';
import { totalUnread } from '../lib/receipts';
import { navigate } from '../lib/route';
import { describeSystem } from '../lib/system-message';
import { useStore } from '../lib/store';
import { roomTitle, type ChatState } from '../state/session';
import { GroupDialog } from './GroupDialog';
import { MyPage } from './MyPage';
import { RoomView } from './RoomView';

const selectRooms = (s: ChatState) => s.rooms;
const selectUsers = (s: ChatState) => s.users;
const selectOnline = (s: ChatState) => s.online;

/** The signed-in app: the rail, a list (chats or people) and the open room or My page. */
export function MainScreen({ route }: { route: string[] }) {
  const { t } = useTranslation();
  const session = useSession();
  const { platform } = useApp();
  const rooms = useStore(session.store, selectRooms);
  const me = useStore(session.store, (s) => s.me);
  const connected = useStore(session.store, (s) => s.connected || !s.wasConnected);
  const adminPending = useStore(session.store, (s) => s.adminPending);
  const [section, roomId] = route;
  const tab = section === 'people' || section === 'me' ? section : 'chats';
  const unread = totalUnread(Object.values(rooms));

  useEffect(() => {
    void session.loadRooms().catch(() => undefined);
    void session.loadUsers().catch(() => undefined);
  }, [session]);

  const activeRoomId = tab === 'chats' && roomId ? roomId : null;
  useEffect(() => {
    session.setActiveRoom(activeRoomId);
    return () => session.setActiveRoom(null);
  }, [session, activeRoomId]);

  return (
    <div className="shell">
      <nav className="rail" aria-label={t('app.name')}>
        <a href="#/people" className={tab === 'people' ? 'active' : ''} aria-label={t('nav.people')} title={t('nav.people')}>
          <Icon.person />
        </a>
        <a href="#/chats" className={tab === 'chats' ? 'active' : ''} aria-label={t('nav.chats')} title={t('nav.chats')}>
          <Icon.chat />
          {unread > 0 && (
            <span className="rail-badge" data-testid="total-unread">
              {unread > 99 ? '99+' : unread}
            </span>
          )}
        </a>
        <a href="#/me" className={tab === 'me' ? 'active' : ''} aria-label={t('nav.me')} title={t('nav.me')}>
          <Icon.settings />
        </a>
        {me.role === 'admin' && (
          // In Electron the admin screen is its own window; in a browser it is a page of this one.
          <a
            href="#/admin"
            aria-label={t('nav.admin')}
            title={t('nav.admin')}
            onClick={(e) => {
              if (platform.kind !== 'electron') return;
              e.preventDefault();
              platform.openAdminWindow();
            }}
          >
            <Icon.shield />
            {adminPending > 0 && <span className="rail-badge">{adminPending}</span>}
          </a>
        )}
      </nav>
      {tab === 'me' ? (
        <MyPage />
      ) : (
        <>
          <aside className="list-pane">{tab === 'people' ? <PeopleList /> : <RoomList activeRoomId={activeRoomId} />}</aside>
          <section className="content">
            {!connected && (
              <div className="banner" role="status">
                {t('room.offline')}
              </div>
            )}
            {activeRoomId ? <RoomView key={activeRoomId} roomId={activeRoomId} /> : <div className="empty-content">{t('room.selectRoom')}</div>}
          </section>
        </>
      )}
    </div>
  );
}

/** What a room list line shows under the name. */
function usePreview() {
  const { t } = useTranslation();
  return (room: Room): string => {
    const m = room.lastMessage;
    if (!m) return t('rooms.noMessages');
    if (m.deletedAt) return t('rooms.deleted');
    if (m.file) return t('rooms.fileMessage', { name: m.file.name });
    if (m.kind === 'system') return describeSystem(m.body, t);
    return m.body ?? '';
  };
}

function RoomList({ activeRoomId }: { activeRoomId: string | null }) {
  const { t, i18n } = useTranslation();
  const session = useSession();
  const rooms = useStore(session.store, selectRooms);
  const loaded = useStore(session.store, (s) => s.roomsLoaded);
  const [query, setQuery] = useState('');
  const [creating, setCreating] = useState(false);
  const preview = usePreview();
  const myId = session.me.id;
  const departed = t('room.departed');

  const list = useMemo(() => {
    const q = query.trim().toLowerCase();
    return Object.values(rooms)
      .filter((r) => !q || roomTitle(r, myId, departed).toLowerCase().includes(q) || r.members.some((m) => m.name.toLowerCase().includes(q)))
      .sort((a, b) => (b.lastMessageAt ?? '').localeCompare(a.lastMessageAt ?? ''));
  }, [rooms, query, myId, departed]);

  return (
    <>
      <header className="pane-header">
        <h1>{t('nav.chats')}</h1>
        <button type="button" className="icon-button" aria-label={t('rooms.newGroup')} title={t('rooms.newGroup')} onClick={() => setCreating(true)}>
          <Icon.plus />
        </button>
      </header>
      <input className="search" type="search" aria-label={t('rooms.search')} placeholder={t('rooms.search')} value={query} onChange={(e) => setQuery(e.target.value)} />
      <ul className="room-list" aria-label={t('nav.chats')}>
        {loaded && list.length === 0 && <li className="empty">{t('rooms.empty')}</li>}
        {list.map((room) => {
          const title = roomTitle(room, myId, departed);
          return (
            <li key={room.id}>
              <a href={`#/chats/${room.id}`} className={room.id === activeRoomId ? 'room-item active' : 'room-item'} aria-current={room.id === activeRoomId ? 'page' : undefined} data-room-id={room.id}>
                <Avatar name={title || '?'} size={44} />
                <span className="room-main">
                  <span className="room-title">
                    <span className="name">{title}</span>
                    {room.kind === 'group' && <span className="count">{room.members.length}</span>}
                    {room.muted && (
                      <span className="muted-icon" role="img" aria-label={t('room.unmute')}>
                        <Icon.bellOff />
                      </span>
                    )}
                  </span>
                  <span className="room-preview">{preview(room)}</span>
                </span>
                <span className="room-meta">
                  <span className="time">{room.lastMessageAt ? formatListTime(room.lastMessageAt, i18n.language) : ''}</span>
                  {room.unreadCount > 0 && (
                    <span className="badge" aria-label={t('rooms.unread', { count: room.unreadCount })}>
                      {room.unreadCount > 999 ? '999+' : room.unreadCount}
                    </span>
                  )}
                </span>
              </a>
            </li>
          );
        })}
      </ul>
      {creating && (
        <GroupDialog
          onClose={() => setCreating(false)}
          onDone={(id) => {
            setCreating(false);
            navigate(`/chats/${id}`);
          }}
        />
      )}
    </>
  );
}

/** People grouped by department with online dots; clicking one opens the 1:1 room. */
function PeopleList() {
  const { t } = useTranslation();
  const session = useSession();
  const users = useStore(session.store, selectUsers);
  const online = useStore(session.store, selectOnline);
  const [query, setQuery] = useState('');
  const myId = session.me.id;

  const groups = useMemo(() => {
    const q = query.trim().toLowerCase();
    const byDept = new Map<string, User[]>();
    for (const u of Object.values(users)) {
      if (u.id === myId) continue;
      if (q && ![u.name, u.department, u.position, u.employeeId].some((x) => x.toLowerCase().includes(q))) continue;
      const list = byDept.get(u.department) ?? [];
      list.push(u);
      byDept.set(u.department, list);
    }
    return [...byDept.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([dept, list]) => [dept, list.sort((a, b) => a.name.localeCompare(b.name))] as const);
  }, [users, query, myId]);

  // Colleagues approved since the app started show up when the directory is opened.
  useEffect(() => {
    void session.loadUsers().catch(() => undefined);
  }, [session]);

  // Most of the people listed share no room with me: ask for their presence while they are shown.
  useEffect(() => {
    session.watchPresence(groups.flatMap(([, list]) => list.map((u) => u.id)));
  }, [session, groups]);

  const open = (u: User) => {
    void session.openDirect(u.id).then((roomId) => navigate(`/chats/${roomId}`));
  };

  return (
    <>
      <header className="pane-header">
        <h1>{t('nav.people')}</h1>
      </header>
      <input className="search" type="search" aria-label={t('people.search')} placeholder={t('people.search')} value={query} onChange={(e) => setQuery(e.target.value)} />
      <div className="people">
        <div className="person me">
          <Avatar name={session.me.name} size={48} />
          <span className="person-main">
            <span className="name">{session.me.name}</span>
            <span className="sub">
              {session.me.department} · {session.me.position}
            </span>
          </span>
        </div>
        {groups.map(([dept, list]) => (
          <section key={dept} aria-label={dept}>
            <h2 className="dept">
              {dept} <span className="count">{list.length}</span>
            </h2>
            <ul>
              {list.map((u) => (
                <li key={u.id}>
                  <button type="button" className="person" onClick={() => open(u)} aria-label={t('people.startChat', { name: u.name })}>
                    <span className="avatar-wrap">
                      <Avatar name={u.name} size={40} />
                      <span className={online[u.id] ? 'dot online' : 'dot'} title={online[u.id] ? t('people.online') : t('people.offline')} aria-label={online[u.id] ? t('people.online') : t('people.offline')} role="img" />
                    </span>
                    <span className="person-main">
                      <span className="name">{u.name}</span>
                      <span className="sub">
                        {u.position} · {u.grade}
                      </span>
                    </span>
                  </button>
                </li>
              ))}
            </ul>
          </section>
        ))}
      </div>
    </>
  );
}
