import type { Message } from '@hi-msg/contracts';
import type { FileEntity, MessageEntity } from '../database/entities';
import { toFileRef } from '../files/files.service';

/** A stored message as clients see it; a tombstone keeps its seq and loses body and file. */
export function toMessage(m: MessageEntity, file: FileEntity | null | undefined): Message {
  return {
    id: m.id,
    roomId: m.roomId,
    seq: m.seq,
    senderId: m.senderId,
    clientId: m.clientId,
    kind: m.kind,
    body: m.deletedAt ? null : m.body,
    file: m.deletedAt || !file ? null : toFileRef(file),
    createdAt: m.createdAt.toISOString(),
    deletedAt: m.deletedAt ? m.deletedAt.toISOString() : null,
  };
}

/** Many messages, their files looked up in one map. */
export function toMessages(rows: readonly MessageEntity[], files: ReadonlyMap<string, FileEntity>): Message[] {
  return rows.map((m) => toMessage(m, m.fileId ? files.get(m.fileId) : null));
}
