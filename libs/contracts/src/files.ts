import { z } from 'zod';
import { FileRefSchema } from './messages';

/** 10 MB per file, enforced while the upload streams in. */
export const MAX_FILE_BYTES = 10 * 1024 * 1024;

/** The 14 allowed extensions, with the mime type each is served as. */
export const ALLOWED_FILE_TYPES = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  pdf: 'application/pdf',
  doc: 'application/msword',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xls: 'application/vnd.ms-excel',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  ppt: 'application/vnd.ms-powerpoint',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  zip: 'application/zip',
  rar: 'application/vnd.rar',
  txt: 'text/plain; charset=utf-8',
} as const;
export type AllowedExtension = keyof typeof ALLOWED_FILE_TYPES;
export const ALLOWED_EXTENSIONS = Object.keys(ALLOWED_FILE_TYPES) as AllowedExtension[];

/** True for types the chat previews inline. */
export function isImageMime(mime: string): boolean {
  return mime === 'image/png' || mime === 'image/jpeg' || mime === 'image/gif';
}

export const UploadResponseSchema = z.object({ file: FileRefSchema });

/** `?preview=1` asks for an image's small preview instead of the original. */
export const DownloadQuerySchema = z.object({ preview: z.enum(['0', '1']).optional() });
