import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity('files')
export class FileEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id: string;
  @Column({ name: 'uploader_id', type: 'varchar', length: 36 }) uploaderId: string;
  /** The user's file name, kept only as data; never part of a disk path. */
  @Column({ name: 'original_name', type: 'varchar', length: 255 }) originalName: string;
  /** Random, relative to UPLOAD_DIR. */
  @Column({ name: 'stored_path', type: 'varchar', length: 255 }) storedPath: string;
  @Column({ name: 'thumb_path', type: 'varchar', length: 255, nullable: true }) thumbPath: string | null;
  @Column({ type: 'varchar', length: 128 }) mime: string;
  @Column({ type: 'int' }) size: number;
  @Column({ type: 'varchar', length: 64 }) sha256: string;
  @Column({ name: 'message_id', type: 'varchar', length: 36, nullable: true }) messageId: string | null;
  @Column({ name: 'created_at', type: 'datetime', precision: 3 }) createdAt: Date;
}
