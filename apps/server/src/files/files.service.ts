import { Injectable } from '@nestjs/common';
import type { FileRef } from '@hi-msg/contracts';
import type { EntityManager } from 'typeorm';
import { AppError } from '../common/app-error';
import type { AuthContext } from '../common/auth-context';
import { FileEntity } from '../database/entities';

/** Files as the messaging code sees them: attach an upload to a message, describe it. */
@Injectable()
export class FilesService {
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
