import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AccessResolver, AuthGuard } from './auth.guard';
import { SessionsRepository } from './sessions.repository';
import { TokenService } from './token.service';

@Global()
@Module({
  providers: [TokenService, SessionsRepository, AccessResolver, { provide: APP_GUARD, useClass: AuthGuard }],
  exports: [TokenService, SessionsRepository, AccessResolver],
})
export class AuthModule {}
