import { unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import type { FileRef } from '@hi-msg/contracts';
import type { EntityManager } from 'typeorm';
import { AppError } from '../common/app-error';
import type { AuthContext } from '../common/auth-context';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { FileEntity } from '../database/entities';

/** Files as the messaging code sees them: attach an upload to a message, describe it. */
@Injectable()
export class FilesService {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /**
   * Remove a message's file row inside the caller's transaction; returns the step that removes
   * the bytes from disk, to run only after that transaction commits.
   */
  async removeForMessage(messageId: string, em: EntityManager): Promise<() => Promise<void>> {
    const files = await em.find(FileEntity, { where: { messageId } });
    if (files.length === 0) return async () => undefined;
    await em.delete(FileEntity, files.map((f) => f.id));
    const paths = files.flatMap((f) => [f.storedPath, f.thumbPath]).filter((p): p is string => p !== null);
    return async () => {
      await Promise.all(paths.map((p) => unlink(join(this.config.uploadDir, p)).catch(() => undefined)));
    };
  }

  /** Attach the caller's unsent upload to a message, inside the send transaction. */
  async attachToMessage(auth: AuthContext, fileId: string, messageId: string, em: EntityManager): Promise<FileRef> {
    const file = await em.findOne(FileEntity, { where: { id: fileId } });
    if (!file || file.uploaderId !== auth.userId) throw new AppError('FILE_NOT_FOUND', 'That file was not found. Upload it again.');
    if (file.messageId) throw new AppError('FILE_ALREADY_SENT', 'That file was already sent in a message.');
    await em.update(FileEntity, { id: fileId }, { messageId });
    return toFileRef(file);
  }
}

export function toFileRef(f: Pick<FileEntity, 'id' | 'originalName' | 'mime' | 'size' | 'thumbPath'>): FileRef {
  return { id: f.id, name: f.originalName, mime: f.mime, size: f.size, hasPreview: f.thumbPath !== null };
}
