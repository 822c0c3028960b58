import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * One row per login session. The refresh token is `<id>.<secret>`; only the hash of the
 * current secret is kept, so an older secret of the same session is recognised as reuse.
 */
@Entity('sessions')
export class SessionEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id: string;
  @Column({ name: 'user_id', type: 'varchar', length: 36 }) userId: string;
  @Column({ name: 'refresh_hash', type: 'varchar', length: 64 }) refreshHash: string;
  @Column({ type: 'int', default: 0 }) generation: number;
  @Column({ type: 'varchar', length: 120, nullable: true }) device: string | null;
  @Column({ name: 'created_at', type: 'datetime', precision: 3 }) createdAt: Date;
  @Column({ name: 'expires_at', type: 'datetime', precision: 3 }) expiresAt: Date;
  @Column({ name: 'revoked_at', type: 'datetime', precision: 3, nullable: true }) revokedAt: Date | null;
}
