import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity('users')
export class UserEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id: string;
  @Column({ name: 'employee_id', type: 'varchar', length: 32, unique: true }) employeeId: string;
  @Column({ type: 'varchar', length: 64 }) name: string;
  @Column({ type: 'varchar', length: 254, unique: true }) email: string;
  @Column({ type: 'varchar', length: 64 }) department: string;
  @Column({ type: 'varchar', length: 64 }) position: string;
  @Column({ type: 'varchar', length: 32 }) grade: string;
  @Column({ name: 'password_hash', type: 'varchar', length: 255 }) passwordHash: string;
  @Column({ type: 'varchar', length: 8 }) role: 'user' | 'admin';
  @Column({ type: 'varchar', length: 16 }) status: 'pending' | 'active' | 'rejected';
  @Column({ name: 'token_version', type: 'int', default: 0 }) tokenVersion: number;
  @Column({ name: 'created_at', type: 'datetime', precision: 3 }) createdAt: Date;
  @Column({ name: 'approved_at', type: 'datetime', precision: 3, nullable: true }) approvedAt: Date | null;
  @Column({ name: 'approved_by', type: 'varchar', length: 36, nullable: true }) approvedBy: string | null;
}
