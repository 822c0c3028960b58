import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity('rooms')
export class RoomEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id: string;
  @Column({ type: 'varchar', length: 8 }) kind: 'direct' | 'group';
  @Column({ type: 'varchar', length: 100, nullable: true }) name: string | null;
  /** The two user ids in sorted order, joined by ':' (direct rooms only). */
  @Column({ name: 'direct_key', type: 'varchar', length: 73, nullable: true, unique: true }) directKey: string | null;
  @Column({ name: 'created_by', type: 'varchar', length: 36, nullable: true }) createdBy: string | null;
  @Column({ name: 'last_seq', type: 'int', default: 0 }) lastSeq: number;
  @Column({ name: 'last_message_at', type: 'datetime', precision: 3, nullable: true }) lastMessageAt: Date | null;
  @Column({ name: 'created_at', type: 'datetime', precision: 3 }) createdAt: Date;
}
