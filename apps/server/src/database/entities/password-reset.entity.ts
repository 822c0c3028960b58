import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity('password_reset_requests')
export class PasswordResetEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id: string;
  @Column({ name: 'user_id', type: 'varchar', length: 36 }) userId: string;
  @Column({ type: 'varchar', length: 16 }) status: 'pending' | 'approved' | 'rejected' | 'completed' | 'expired';
  /** sha256 of the requester's one-time ticket; the ticket itself is never stored. */
  @Column({ name: 'ticket_hash', type: 'varchar', length: 64, unique: true }) ticketHash: string;
  @Column({ name: 'requested_at', type: 'datetime', precision: 3 }) requestedAt: Date;
  @Column({ name: 'expires_at', type: 'datetime', precision: 3 }) expiresAt: Date;
  @Column({ name: 'decided_at', type: 'datetime', precision: 3, nullable: true }) decidedAt: Date | null;
  @Column({ name: 'decided_by', type: 'varchar', length: 36, nullable: true }) decidedBy: string | null;
  @Column({ name: 'completed_at', type: 'datetime', precision: 3, nullable: true }) completedAt: Date | null;
}
