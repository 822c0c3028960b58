import type { Message, Room } from '@hi-msg/contracts';
import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useEffect, useLayoutEffect, useMemo, useRef, useState, type DragEvent } from 'react';
import { useSession } from '../app-context';
import { Composer } from '../components/Composer';
import { FileView } from '../components/FileView';
import { Icon } from '../components/icons';
import { MessageText } from '../components/MessageText';
import { Avatar, ConfirmDialog, ErrorText, Field, Modal } from '../components/ui';
import { useTranslation } from '../i18n';
import { formatDay, formatTime } from '../lib/format';
import { unreadByOthers } from '../lib/receipts';
import { navigate } from '../lib/route';
import { useStore } from '../lib/store';
import { describeSystem } from '../lib/system-message';
import { groupByDay, timeline, type Row } from '../lib/timeline';
import { roomTitle, type ChatState } from '../state/session';
import { GroupDialog } from './GroupDialog';

const EMPTY: Message[] = [];
const selectOutbox = (s: ChatState) => s.outbox;
const selectUploads = (s: ChatState) => s.uploads;

/** One open room: header, the virtualized message list, typing, uploads and the composer. */
export function RoomView({ roomId }: { roomId: string }) {
  const { t } = useTranslation();
  const session = useSession();
  const room = useStore(session.store, (s) => s.rooms[roomId]);
  const messages = useStore(session.store, (s) => s.messages[roomId] ?? EMPTY);
  const outbox = useStore(session.store, selectOutbox);
  const uploads = useStore(session.store, selectUploads);
  const typing = useStore(session.store, (s) => s.typing[roomId]);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [dragging, setDragging] = useState(false);
  const [actionError, setActionError] = useState<unknown>(null);
  const myId = session.me.id;
  const wasHeld = useRef(false);

  useEffect(() => {
    wasHeld.current = false;
    session.openRoom(roomId).catch(setLoadError);
  }, [session, roomId]);

  const rows = useMemo(() => groupByDay(timeline(messages, outbox, roomId, myId), myId), [messages, outbox, roomId, myId]);

  if (!room) {
    // Held once and gone now: deleted, or left on another device.
    if (wasHeld.current && !loadError) {
      return (
        <div className="empty-content" role="status">
          <p>{t('room.gone')}</p>
          <button type="button" onClick={() => navigate('/chats')}>
            {t('room.backToChats')}
          </button>
        </div>
      );
    }
    return <div className="empty-content">{loadError ? <ErrorText error={loadError} /> : t('common.loading')}</div>;
  }
  wasHeld.current = true;

  const typingNames = Object.keys(typing ?? {})
    .map((id) => room.members.find((m) => m.userId === id)?.name)
    .filter(Boolean)
    .join(', ');

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    for (const f of e.dataTransfer.files) session.sendFile(roomId, f);
  };

  return (
    <div
      className="room"
      onDragOver={(e) => {
        if (e.dataTransfer.types.includes('Files')) {
          e.preventDefault();
          setDragging(true);
        }
      }}
      onDragLeave={(e) => e.currentTarget === e.target && setDragging(false)}
      onDrop={onDrop}
    >
      <RoomHeader room={room} onError={setActionError} />
      <ErrorText error={actionError} />
      <MessageList room={room} rows={rows} onError={setActionError} />
      {typingNames && (
        <div className="typing" role="status">
          {t('room.typing', { names: typingNames })}
        </div>
      )}
      {uploads
        .filter((u) => u.roomId === roomId)
        .map((u) => (
          <div className="upload" key={u.id}>
            {u.error ? (
              <>
                <span className="error" role="alert">
                  {t('room.uploadFailed', { name: u.name, error: t(`errors.${u.error}`) })}
                </span>
                <button type="button" className="link" onClick={() => session.dismissUpload(u.id)}>
                  {t('common.close')}
                </button>
              </>
            ) : (
              <>
                <span>{u.name}</span>
                <progress value={u.progress} max={1} aria-label={t('room.uploading', { name: u.name })} />
                <button type="button" className="icon-button" aria-label={t('room.cancelUpload', { name: u.name })} title={t('room.cancelUpload', { name: u.name })} onClick={() => session.cancelUpload(u.id)}>
                  ✕
                </button>
              </>
            )}
          </div>
        ))}
      <Composer onSend={(body) => session.send(roomId, body)} onFiles={(files) => files.forEach((f) => session.sendFile(roomId, f))} onTyping={(on) => session.typing(roomId, on)} />
      {dragging && (
        <div className="drop-overlay" aria-hidden="true">
          {t('room.dropHere')}
        </div>
      )}
    </div>
  );
}

function RoomHeader({ room, onError }: { room: Room; onError: (e: unknown) => void }) {
  const { t } = useTranslation();
  const session = useSession();
  const [dialog, setDialog] = useState<'invite' | 'rename' | 'leave' | 'delete' | null>(null);
  const departed = t('room.departed');
  const title = roomTitle(room, session.me.id, departed);
  const canDelete = room.kind === 'group' && (room.createdBy === session.me.id || session.me.role === 'admin');
  return (
    <header className="room-header">
      <Avatar name={title || '?'} size={36} />
      <div className="room-header-title">
        <h2>{title}</h2>
        <span className="sub" title={room.members.map((m) => m.name || departed).join(', ')}>
          {room.kind === 'group' ? t('rooms.members', { count: room.members.length }) : room.members.find((m) => m.userId !== session.me.id)?.department}
        </span>
      </div>
      <div className="room-actions">
        {room.kind === 'group' && (
          <>
            <button type="button" onClick={() => setDialog('invite')}>
              {t('room.invite')}
            </button>
            <button type="button" onClick={() => setDialog('rename')}>
              {t('room.rename')}
            </button>
          </>
        )}
        <button type="button" className="icon-button" aria-label={room.muted ? t('room.unmute') : t('room.mute')} title={room.muted ? t('room.unmute') : t('room.mute')} onClick={() => void session.setMuted(room.id, !room.muted).catch(onError)}>
          {room.muted ? <Icon.bellOff /> : <Icon.bell />}
        </button>
        {room.kind === 'group' && (
          <button type="button" onClick={() => setDialog('leave')}>
            {t('room.leave')}
          </button>
        )}
        {canDelete && (
          <button type="button" className="danger" onClick={() => setDialog('delete')}>
            {t('room.deleteRoom')}
          </button>
        )}
      </div>
      {dialog === 'invite' && <GroupDialog roomId={room.id} onClose={() => setDialog(null)} onDone={() => setDialog(null)} />}
      {dialog === 'rename' && <RenameDialog room={room} title={title} onClose={() => setDialog(null)} />}
      {dialog === 'leave' && (
        <ConfirmDialog title={t('room.leave')} message={t('room.leaveConfirm')} confirmLabel={t('room.leave')} onClose={() => setDialog(null)} onConfirm={() => session.leave(room.id).then(() => navigate('/chats'))} />
      )}
      {dialog === 'delete' && (
        <ConfirmDialog title={t('room.deleteRoom')} message={t('room.deleteRoomConfirm')} confirmLabel={t('common.delete')} onClose={() => setDialog(null)} onConfirm={() => session.deleteRoom(room.id).then(() => navigate('/chats'))} />
      )}
    </header>
  );
}

function RenameDialog({ room, title, onClose }: { room: Room; title: string; onClose: () => void }) {
  const { t } = useTranslation();
  const session = useSession();
  const [name, setName] = useState(title);
  const [error, setError] = useState<unknown>(null);
  return (
    <Modal title={t('room.renameTitle')} onClose={onClose}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          session.rename(room.id, name.trim()).then(onClose, setError);
        }}
      >
        <Field label={t('group.name')} value={name} onChange={setName} required autoFocus />
        <ErrorText error={error} />
        <div className="actions">
          <button type="button" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button type="submit" className="primary" disabled={!name.trim()}>
            {t('common.save')}
          </button>
        </div>
      </form>
    </Modal>
  );
}

const NEAR_BOTTOM_PX = 120;
const LOAD_OLDER_PX = 300;

/** The virtualized list: only the visible rows are in the DOM, so 10,000 messages scroll smoothly. */
function MessageList({ room, rows, onError }: { room: Room; rows: Row[]; onError: (e: unknown) => void }) {
  const { t } = useTranslation();
  const session = useSession();
  const hasMore = useStore(session.store, (s) => s.hasMore[room.id] !== false);
  const parentRef = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);
  /** Exactly at the end (not just near it): size changes keep the view there. */
  const pinned = useRef(true);
  const loadingOlder = useRef(false);
  const [showLoading, setShowLoading] = useState(false);
  const prevFirstKey = useRef<string | null>(null);
  const prevCount = useRef(0);
  /** Distance from the bottom when an older page was asked for, to restore after it lands above. */
  const fromBottom = useRef<number | null>(null);
  const [deleting, setDeleting] = useState<Message | null>(null);

  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => parentRef.current,
    estimateSize: (i) => (rows[i]?.kind === 'day' ? 44 : 58),
    overscan: 12,
    getItemKey: (i) => rows[i]!.key,
  });

  // Keep the view at the bottom as messages arrive; keep the reading position when older ones load above.
  useLayoutEffect(() => {
    const el = parentRef.current;
    // The first message row (a day separator above it can stay the same when older messages arrive).
    const firstKey = rows.find((r) => r.kind === 'entry')?.key ?? null;
    const grewAtTop = prevFirstKey.current !== null && firstKey !== prevFirstKey.current;
    if (grewAtTop && el && fromBottom.current !== null) {
      el.scrollTop = el.scrollHeight - fromBottom.current;
      fromBottom.current = null;
    } else if (grewAtTop) {
      const idx = rows.findIndex((r) => r.key === prevFirstKey.current);
      if (idx > 0) virtualizer.scrollToIndex(idx, { align: 'start' });
    } else if (rows.length > 0 && rows.length !== prevCount.current && (atBottom.current || prevCount.current === 0)) {
      virtualizer.scrollToIndex(rows.length - 1, { align: 'end' });
      requestAnimationFrame(() => {
        if (el) el.scrollTop = el.scrollHeight;
      });
    }
    prevFirstKey.current = firstKey;
    prevCount.current = rows.length;
  }, [rows, virtualizer]);

  /** Near the top with more history on the server: fetch the page before the oldest message held. */
  const maybeLoadOlder = () => {
    const el = parentRef.current;
    if (!el || el.scrollTop >= LOAD_OLDER_PX || !hasMore || loadingOlder.current || rows.length === 0) return;
    loadingOlder.current = true;
    fromBottom.current = el.scrollHeight - el.scrollTop;
    setShowLoading(true);
    session
      .loadOlder(room.id)
      .catch(onError)
      .finally(() => {
        loadingOlder.current = false;
        setShowLoading(false);
        // Still at the top (a short page, or the user kept scrolling): go on.
        requestAnimationFrame(() => maybeLoadOlderRef.current());
      });
  };
  const maybeLoadOlderRef = useRef(maybeLoadOlder);
  maybeLoadOlderRef.current = maybeLoadOlder;

  const onScroll = () => {
    const el = parentRef.current;
    if (!el) return;
    const fromEnd = el.scrollHeight - el.scrollTop - el.clientHeight;
    atBottom.current = fromEnd < NEAR_BOTTOM_PX;
    pinned.current = fromEnd < 4;
    maybeLoadOlder();
  };

  // Rows grow after they render (an image preview arrives): stay at the end if that is where the reader is.
  const totalSize = virtualizer.getTotalSize();
  useLayoutEffect(() => {
    const el = parentRef.current;
    if (el && pinned.current) el.scrollTop = el.scrollHeight;
  }, [totalSize]);

  return (
    <div className="messages" ref={parentRef} onScroll={onScroll} role="log" aria-label={t('room.message')} aria-live="polite">
      {showLoading && <div className="loading-older">{t('room.loadingOlder')}</div>}
      <div style={{ height: totalSize, position: 'relative', width: '100%' }}>
        {virtualizer.getVirtualItems().map((v) => {
          const row = rows[v.index]!;
          return (
            <div key={v.key} data-index={v.index} ref={virtualizer.measureElement} className="row" style={{ position: 'absolute', top: 0, left: 0, width: '100%', transform: `translateY(${v.start}px)` }}>
              {row.kind === 'day' ? <DaySeparator day={row.day} /> : <MessageRow room={room} row={row} onDelete={setDeleting} />}
            </div>
          );
        })}
      </div>
      {deleting && (
        <ConfirmDialog title={t('room.deleteMessage')} message={t('room.deleteConfirm')} confirmLabel={t('common.delete')} onClose={() => setDeleting(null)} onConfirm={() => session.deleteMessage(deleting.id)} />
      )}
    </div>
  );
}

function DaySeparator({ day }: { day: string }) {
  const { i18n } = useTranslation();
  return (
    <div className="day" role="separator">
      <span>{formatDay(day, i18n.language)}</span>
    </div>
  );
}

/** Memoized: while scrolling, rows that stay in view are not rendered again. */
const MessageRow = memo(function MessageRow({ room, row, onDelete }: { room: Room; row: Extract<Row, { kind: 'entry' }>; onDelete: (m: Message) => void }) {
  const { t, i18n } = useTranslation();
  const session = useSession();
  const users = useStore(session.store, (s) => s.users);
  const myId = session.me.id;
  const { entry } = row;

  if (entry.type === 'pending') {
    const { item } = entry;
    return (
      <div className="msg mine pending" data-client-id={item.clientId}>
        <div className="meta">
          {item.error ? (
            <span className="failed">
              {t('room.failed')} ·{' '}
              <button type="button" className="link" onClick={() => session.retryPending(item.clientId)}>
                {t('room.retry')}
              </button>{' '}
              <button type="button" className="link" onClick={() => session.discardPending(item.clientId)}>
                {t('room.discard')}
              </button>
            </span>
          ) : (
            <span className="sending" title={t('room.pending')} aria-label={t('room.pending')}>
              <Icon.clock />
            </span>
          )}
        </div>
        <div className="bubble">{item.body ? <MessageText text={item.body} /> : t('rooms.fileMessage', { name: item.fileName ?? '' })}</div>
      </div>
    );
  }

  const m = entry.message;
  if (m.kind === 'system') {
    return (
      <div className="system" data-seq={m.seq}>
        <span>{describeSystem(m.body, t)}</span>
      </div>
    );
  }
  const mine = m.senderId === myId;
  const unread = unreadByOthers(m, room.members);
  const senderName = room.members.find((x) => x.userId === m.senderId)?.name || (m.senderId ? users[m.senderId]?.name : undefined) || t('room.departed');
  const content = m.deletedAt ? (
    <div className="bubble deleted">{t('room.deleted')}</div>
  ) : m.file ? (
    <div className="bubble file">
      <FileView file={m.file} />
      {m.body && (
        <div className="caption">
          <MessageText text={m.body} />
        </div>
      )}
    </div>
  ) : (
    <div className="bubble">
      <MessageText text={m.body ?? ''} />
    </div>
  );
  const meta = (
    <div className="meta">
      {unread > 0 && (
        <span className="unread-count" aria-label={t('room.unreadBy', { count: unread })}>
          {unread}
        </span>
      )}
      {row.showTime && <time dateTime={m.createdAt}>{formatTime(m.createdAt, i18n.language)}</time>}
    </div>
  );
  return (
    <div className={mine ? 'msg mine' : 'msg theirs'} data-seq={m.seq} data-message-id={m.id}>
      {!mine && (row.showSender ? <Avatar name={senderName} size={36} /> : <span className="avatar-space" />)}
      <div className="msg-body">
        {!mine && row.showSender && <div className="sender">{senderName}</div>}
        <div className="bubble-line">
          {mine && !m.deletedAt && (
            <button type="button" className="delete-msg icon-button" aria-label={t('room.deleteMessage')} title={t('room.deleteMessage')} onClick={() => onDelete(m)}>
              <Icon.trash />
            </button>
          )}
          {mine ? (
            <>
              {meta}
              {content}
            </>
          ) : (
            <>
              {content}
              {meta}
            </>
          )}
        </div>
      </div>
    </div>
  );
});
