import { Global, Module } from '@nestjs/common';
import { AuditRepository } from './audit.repository';
import { MembershipRepository } from './membership.repository';

@Global()
@Module({ providers: [AuditRepository, MembershipRepository], exports: [AuditRepository, MembershipRepository] })
export class CommonModule {}
