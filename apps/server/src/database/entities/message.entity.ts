import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity('messages')
export class MessageEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id: string;
  @Column({ name: 'room_id', type: 'varchar', length: 36 }) roomId: string;
  @Column({ type: 'int' }) seq: number;
  /** No foreign key: a departed employee's messages stay visible to the others. */
  @Column({ name: 'sender_id', type: 'varchar', length: 36, nullable: true }) senderId: string | null;
  @Column({ name: 'client_id', type: 'varchar', length: 36, nullable: true }) clientId: string | null;
  @Column({ type: 'varchar', length: 8 }) kind: 'text' | 'file' | 'system';
  @Column({ type: 'text', nullable: true }) body: string | null;
  @Column({ name: 'file_id', type: 'varchar', length: 36, nullable: true }) fileId: string | null;
  @Column({ name: 'created_at', type: 'datetime', precision: 3 }) createdAt: Date;
  @Column({ name: 'deleted_at', type: 'datetime', precision: 3, nullable: true }) deletedAt: Date | null;
}
