import { Injectable } from '@nestjs/common';
import { type EntityManager, In, IsNull, LessThan } from 'typeorm';
import { Database } from '../database/data-source';
import { FileEntity, MessageEntity } from '../database/entities';

/** Disk paths (relative to UPLOAD_DIR) a file row owns: the upload and its preview. */
export function pathsOf(files: readonly Pick<FileEntity, 'storedPath' | 'thumbPath'>[]): string[] {
  return files.flatMap((f) => [f.storedPath, f.thumbPath]).filter((p): p is string => p !== null);
}

/** The only code that reads or writes the files table. */
@Injectable()
export class FilesRepository {
  constructor(private readonly db: Database) {}

  async insert(file: FileEntity): Promise<void> {
    await this.db.manager.insert(FileEntity, file);
  }

  findById(id: string, em: EntityManager = this.db.manager): Promise<FileEntity | null> {
    return em.findOne(FileEntity, { where: { id } });
  }

  /** Where a sent file lives: its message's room and seq. */
  findMessagePlace(messageId: string): Promise<Pick<MessageEntity, 'roomId' | 'seq'> | null> {
    return this.db.manager.findOne(MessageEntity, { where: { id: messageId }, select: { roomId: true, seq: true } });
  }

  async findByIds(ids: readonly string[]): Promise<Map<string, FileEntity>> {
    const rows = ids.length ? await this.db.manager.find(FileEntity, { where: { id: In([...new Set(ids)]) } }) : [];
    return new Map(rows.map((f) => [f.id, f]));
  }

  findByMessage(messageId: string, em: EntityManager): Promise<FileEntity[]> {
    return em.find(FileEntity, { where: { messageId } });
  }

  /** Attach only if it is still the uploader's and unsent; false when someone got there first. */
  async markSent(fileId: string, uploaderId: string, messageId: string, em: EntityManager): Promise<boolean> {
    const res = await em.update(FileEntity, { id: fileId, uploaderId, messageId: IsNull() }, { messageId });
    return (res.affected ?? 0) === 1;
  }

  /** Delete these rows; returns them, so the caller can remove their bytes after commit. */
  async deleteRows<F extends FileEntity>(files: F[], em: EntityManager): Promise<F[]> {
    if (files.length > 0) await em.delete(FileEntity, { id: In(files.map((f) => f.id)) });
    return files;
  }

  /** Uploads never sent, older than the cutoff (oldest first). */
  findUnsentBefore(cutoff: Date, limit: number): Promise<FileEntity[]> {
    return this.db.manager.find(FileEntity, { where: { messageId: IsNull(), createdAt: LessThan(cutoff) }, order: { createdAt: 'ASC' }, take: limit });
  }

  /**
   * Delete the row only if it is still unsent. Several server processes may race here: only
   * the one whose delete removed the row may remove the bytes.
   */
  async deleteIfUnsent(id: string): Promise<boolean> {
    const res = await this.db.manager.delete(FileEntity, { id, messageId: IsNull() });
    return (res.affected ?? 0) === 1;
  }

  /** Which of these disk paths some row still owns (as its file or its preview). */
  async referenced(paths: readonly string[]): Promise<Set<string>> {
    if (paths.length === 0) return new Set();
    const list = [...paths];
    const rows = await this.db.manager.find(FileEntity, {
      where: [{ storedPath: In(list) }, { thumbPath: In(list) }],
      select: { id: true, storedPath: true, thumbPath: true },
    });
    return new Set(pathsOf(rows));
  }

  findUnsentByUploader(uploaderId: string, em: EntityManager): Promise<FileEntity[]> {
    return em.find(FileEntity, { where: { uploaderId, messageId: IsNull() } });
  }

  /** Every file sent in a room. */
  findByRoom(roomId: string, em: EntityManager): Promise<FileEntity[]> {
    return em
      .createQueryBuilder(FileEntity, 'f')
      .innerJoin(MessageEntity, 'm', 'm.id = f.message_id')
      .where('m.room_id = :roomId', { roomId })
      .getMany();
  }
}
