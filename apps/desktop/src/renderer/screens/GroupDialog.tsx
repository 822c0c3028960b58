import { useMemo, useState, type FormEvent } from 'react';
import { useSession } from '../app-context';
import { Avatar, ErrorText, Field, Modal } from '../components/ui';
import { useTranslation } from '../i18n';
import { useStore } from '../lib/store';

/** New group (name + member picker), or, with a roomId, invite more people to that group. */
export function GroupDialog({ roomId, onClose, onDone }: { roomId?: string; onClose: () => void; onDone: (roomId: string) => void }) {
  const { t } = useTranslation();
  const session = useSession();
  const users = useStore(session.store, (s) => s.users);
  const room = useStore(session.store, (s) => (roomId ? s.rooms[roomId] : undefined));
  const [name, setName] = useState('');
  const [query, setQuery] = useState('');
  const [picked, setPicked] = useState<Set<string>>(new Set());
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const candidates = useMemo(() => {
    const exclude = new Set([session.me.id, ...(room?.members.map((m) => m.userId) ?? [])]);
    const q = query.trim().toLowerCase();
    return Object.values(users)
      .filter((u) => !exclude.has(u.id) && (!q || [u.name, u.department].some((x) => x.toLowerCase().includes(q))))
      .sort((a, b) => a.name.localeCompare(b.name));
  }, [users, room, query, session.me.id]);

  const toggle = (id: string) =>
    setPicked((p) => {
      const next = new Set(p);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (picked.size === 0) return;
    setBusy(true);
    const ids = [...picked];
    const done = roomId ? session.invite(roomId, ids).then(() => roomId) : session.createGroup(name.trim(), ids).then((r) => r.id);
    done.then(onDone, (err: unknown) => {
      setError(err);
      setBusy(false);
    });
  };

  return (
    <Modal title={roomId ? t('group.inviteTitle') : t('group.title')} onClose={onClose}>
      <form onSubmit={submit} className="group-form">
        {!roomId && <Field label={t('group.name')} value={name} onChange={setName} required autoFocus />}
        <input className="search" type="search" aria-label={t('people.search')} placeholder={t('people.search')} value={query} onChange={(e) => setQuery(e.target.value)} />
        <fieldset>
          <legend>
            {t('group.members')} · {t('group.selected', { count: picked.size })}
          </legend>
          <ul className="picker">
            {candidates.map((u) => (
              <li key={u.id}>
                <label>
                  <input type="checkbox" checked={picked.has(u.id)} onChange={() => toggle(u.id)} aria-label={t('group.pick', { name: u.name })} />
                  <Avatar name={u.name} size={32} />
                  <span className="name">{u.name}</span>
                  <span className="sub">
                    {u.department} · {u.position}
                  </span>
                </label>
              </li>
            ))}
          </ul>
        </fieldset>
        <ErrorText error={error} />
        <div className="actions">
          <button type="button" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button type="submit" className="primary" disabled={busy || picked.size === 0 || (!roomId && !name.trim())}>
            {roomId ? t('group.inviteButton') : t('group.create')}
          </button>
        </div>
      </form>
    </Modal>
  );
}
