import type { FileEntity, MessageEntity, RoomEntity, UserEntity } from '../database/entities';
import { toUserDto } from '../users/user.mapper';
import type { PersonRef } from './deletion.repository';

/** Shown for a sender whose account no longer exists. */
export const DEPARTED = '(퇴사한 직원)';

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** Local server time with its offset, e.g. `2026-11-26 16:40:05 (UTC+09:00)`. */
export function formatTime(d: Date): string {
  const off = -d.getTimezoneOffset();
  const sign = off >= 0 ? '+' : '-';
  const zone = `UTC${sign}${pad(Math.floor(Math.abs(off) / 60))}:${pad(Math.abs(off) % 60)}`;
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())} (${zone})`;
}

/** 1536 → "1.5 KB". */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

export function personLabel(p: PersonRef | undefined): string {
  return p ? `${p.name} (${p.employeeId})` : DEPARTED;
}

/** A room as a reader recognises it: the group's name, or the two people of a 1:1 chat. */
export function roomLabel(room: Pick<RoomEntity, 'kind' | 'name'>, memberNames: readonly string[]): string {
  if (room.kind === 'group') return `${room.name ?? '(이름 없는 그룹)'} (그룹)`;
  return `1:1 대화: ${memberNames.join(', ') || DEPARTED}`;
}

export type FileInfo = Pick<FileEntity, 'originalName' | 'mime' | 'size'>;

/** One message in the JSON backup. */
export function messageJson(m: MessageEntity, file: FileInfo | undefined, extra: Record<string, unknown>) {
  return {
    id: m.id,
    roomId: m.roomId,
    seq: m.seq,
    ...extra,
    kind: m.kind,
    body: m.body,
    file: file ? { name: file.originalName, mime: file.mime, size: file.size } : null,
    createdAt: m.createdAt.toISOString(),
    deletedAt: m.deletedAt ? m.deletedAt.toISOString() : null,
  };
}

/** One message in the transcript: `[time] #seq who: body`, with its attachment on the next line. */
export function messageText(m: MessageEntity, file: FileInfo | undefined, who: string): string {
  const head = `[${formatTime(m.createdAt)}] #${m.seq} ${who}`;
  if (m.deletedAt) return `${head}: (삭제된 메시지)\n`;
  if (m.kind === 'system') return `${head}: (시스템 알림) ${m.body ?? ''}\n`;
  let out = `${head}: ${m.body ?? ''}\n`;
  if (file) out += `    [첨부 파일] ${file.originalName} (${formatSize(file.size)})\n`;
  else if (m.fileId) out += `    [첨부 파일] (파일 정보 없음)\n`;
  return out;
}

/** The contract's user, plus when they joined. */
export function profileJson(u: UserEntity) {
  return { ...toUserDto(u), createdAt: u.createdAt.toISOString(), approvedAt: u.approvedAt ? u.approvedAt.toISOString() : null };
}

export function profileText(u: UserEntity): string {
  return [
    `이름: ${u.name}`,
    `사번: ${u.employeeId}`,
    `이메일: ${u.email}`,
    `부서: ${u.department}`,
    `직위: ${u.position}`,
    `직급: ${u.grade}`,
    `권한: ${u.role === 'admin' ? '관리자' : '일반 사용자'}`,
    `가입일: ${formatTime(u.createdAt)}`,
  ].join('\n');
}

/** The transcript's title block. */
export function titleText(title: string, at: Date, deletedBy: PersonRef | undefined): string {
  return `${title}\n백업 시각: ${formatTime(at)}\n삭제한 관리자: ${personLabel(deletedBy)}\n${'='.repeat(60)}\n`;
}

/** A transcript section heading, e.g. `[멤버] (3)`. */
export function section(title: string, note?: string | number): string {
  return `\n[${title}]${note === undefined ? '' : ` (${note})`}\n${'-'.repeat(60)}\n`;
}
