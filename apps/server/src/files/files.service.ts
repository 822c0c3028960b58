import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, unlink } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import { join } from 'node:path';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { ALLOWED_FILE_TYPES, type FileRef, isImageMime } from '@hi-msg/contracts';
import type { EntityManager } from 'typeorm';
import { AppError } from '../common/app-error';
import type { AuthContext } from '../common/auth-context';
import { MembershipRepository } from '../common/membership.repository';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { FileEntity } from '../database/entities';
import { contentMatches } from './file-content';
import { contentDisposition } from './file-name';
import { FilesRepository, pathsOf } from './files.repository';
import { makeThumbnail, thumbMime } from './thumbnail';
import { receiveUpload, typeNotAllowed } from './upload.receiver';

/** A file ready to stream to the client, with the headers that go with it. */
export interface Download {
  stream: Readable;
  headers: Record<string, string>;
}

const notFound = () => new AppError('FILE_NOT_FOUND', 'That file is no longer available (its message may have been deleted).');

/** Uploads, downloads, and files as the messaging code sees them. */
@Injectable()
export class FilesService {
  private readonly log = new Logger('Files');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly files: FilesRepository,
    private readonly membership: MembershipRepository,
  ) {}

  /**
   * Stream an upload to disk (10 MB cap while it arrives), check its content against its
   * extension, preview images, and record it as the caller's unsent file.
   */
  async upload(auth: AuthContext, req: IncomingMessage): Promise<FileRef> {
    const received = await receiveUpload(req, this.config.uploadDir);
    const paths = [received.storedPath];
    try {
      if (!(await contentMatches(this.abs(received.storedPath), received.ext, received.textValid))) throw typeNotAllowed();
      const mime = ALLOWED_FILE_TYPES[received.ext];
      const thumbPath = isImageMime(mime) ? await makeThumbnail(this.config.uploadDir, received.storedPath, mime) : null;
      if (thumbPath) paths.push(thumbPath);
      const file: FileEntity = Object.assign(new FileEntity(), {
        id: randomUUID(),
        uploaderId: auth.userId,
        originalName: received.name,
        storedPath: received.storedPath,
        thumbPath,
        mime,
        size: received.size,
        sha256: received.sha256,
        messageId: null,
        createdAt: new Date(),
      });
      await this.files.insert(file);
      return toFileRef(file);
    } catch (err) {
      await this.unlinkAll(paths);
      throw err;
    }
  }

  /**
   * A file for members of its message's room, or for its uploader before it is sent. Images
   * (and previews) inline with their true type; everything else as an attachment.
   */
  async download(auth: AuthContext, fileId: string, preview: boolean): Promise<Download> {
    const file = await this.requireReadable(auth, fileId);
    const usePreview = preview && file.thumbPath !== null;
    const path = usePreview && file.thumbPath ? file.thumbPath : file.storedPath;
    const mime = usePreview ? thumbMime(file.mime) : file.mime;
    const fh = await open(this.abs(path), 'r').catch(() => {
      throw notFound();
    });
    const { size } = await fh.stat();
    return {
      stream: createReadStream('', { fd: fh, autoClose: true }),
      headers: {
        'Content-Type': mime,
        'Content-Length': String(size),
        'Content-Disposition': contentDisposition(isImageMime(file.mime) ? 'inline' : 'attachment', file.originalName),
        'X-Content-Type-Options': 'nosniff',
        'Content-Security-Policy': "default-src 'none'; sandbox",
        // Private to the member's own client; a file's bytes never change under its id.
        'Cache-Control': 'private, max-age=86400',
      },
    };
  }

  /** Remove a message's file row inside the caller's transaction; returns the step that removes the bytes, to run after commit. */
  async removeForMessage(messageId: string, em: EntityManager): Promise<() => Promise<void>> {
    const files = await this.files.deleteRows(await this.files.findByMessage(messageId, em), em);
    return () => this.unlinkAll(pathsOf(files));
  }

  /** Attach the caller's unsent upload to a message, inside the send transaction. A file is sent once. */
  async attachToMessage(auth: AuthContext, fileId: string, messageId: string, em: EntityManager): Promise<FileRef> {
    const file = await this.files.findById(fileId, em);
    if (!file || file.uploaderId !== auth.userId) throw new AppError('FILE_NOT_FOUND', 'That file was not found. Upload it again.');
    if (file.messageId || !(await this.files.markSent(fileId, auth.userId, messageId, em))) {
      throw new AppError('FILE_ALREADY_SENT', 'That file was already sent in a message.');
    }
    return toFileRef(file);
  }

  /** Remove stored bytes; a file already gone is fine. */
  async unlinkAll(paths: readonly string[]): Promise<void> {
    await Promise.all(
      paths.map((p) =>
        unlink(this.abs(p)).catch((err: NodeJS.ErrnoException) => {
          if (err.code !== 'ENOENT') this.log.warn(`Could not remove ${p}: ${err.message}`);
        }),
      ),
    );
  }

  private async requireReadable(auth: AuthContext, fileId: string): Promise<FileEntity> {
    const file = await this.files.findById(fileId);
    if (!file) throw notFound();
    if (!file.messageId) {
      if (file.uploaderId !== auth.userId) throw new AppError('FORBIDDEN', 'Only its uploader can open a file that has not been sent yet.');
      return file;
    }
    const place = await this.files.findMessagePlace(file.messageId);
    if (!place) throw notFound();
    const member = await this.membership.requireMember(auth, place.roomId);
    // History from before the member joined is not theirs to see, nor are its files.
    if (place.seq <= member.joinedSeq) throw new AppError('FORBIDDEN', 'That file was sent before you joined the room.');
    return file;
  }

  private abs(relative: string): string {
    return join(this.config.uploadDir, relative);
  }
}

/** A file as messages carry it. */
export function toFileRef(f: Pick<FileEntity, 'id' | 'originalName' | 'mime' | 'size' | 'thumbPath'>): FileRef {
  return { id: f.id, name: f.originalName, mime: f.mime, size: f.size, hasPreview: f.thumbPath !== null };
}
