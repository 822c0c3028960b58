import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity('audit_log')
export class AuditLogEntity {
  @PrimaryGeneratedColumn() id: number;
  @Column({ name: 'actor_id', type: 'varchar', length: 36, nullable: true }) actorId: string | null;
  @Column({ type: 'varchar', length: 64 }) action: string;
  @Column({ type: 'varchar', length: 128, nullable: true }) target: string | null;
  @Column({ type: 'text', nullable: true }) detail: string | null;
  @Column({ type: 'datetime', precision: 3 }) at: Date;
}
