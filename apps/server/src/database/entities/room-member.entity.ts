import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One row per member per room; last_read_seq is the only read-receipt state there is. */
@Entity('room_members')
export class RoomMemberEntity {
  @PrimaryColumn({ name: 'room_id', type: 'varchar', length: 36 }) roomId: string;
  @PrimaryColumn({ name: 'user_id', type: 'varchar', length: 36 }) userId: string;
  @Column({ name: 'joined_at', type: 'datetime', precision: 3 }) joinedAt: Date;
  /** The room's last_seq when this member joined; earlier history is not theirs to see. */
  @Column({ name: 'joined_seq', type: 'int', default: 0 }) joinedSeq: number;
  @Column({ name: 'last_read_seq', type: 'int', default: 0 }) lastReadSeq: number;
  @Column({ type: 'boolean', default: false }) muted: boolean;
}
