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
  /**
   * Set when the room is deleted: its members are gone with the same commit, and its messages
   * follow a step at a time (deletion/room-purger.ts), the row last. Whatever reaches a room
   * through a membership never sees such a room; a lookup by id must ask for deleted_at IS NULL.
   */
  @Column({ name: 'deleted_at', type: 'datetime', precision: 3, nullable: true }) deletedAt: Date | null;
}
