import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { UsersModule } from '../users/users.module';
import { AuthController } from './auth.controller';
import { AccessResolver, AuthGuard } from './auth.guard';
import { AuthService } from './auth.service';
import { PasswordHashingShutdown } from './password-hashing.shutdown';
import { PasswordResetController } from './password-reset.controller';
import { PasswordResetRepository } from './password-reset.repository';
import { PasswordResetService } from './password-reset.service';
import { SessionsCleanup } from './sessions.cleanup';
import { SessionsRepository } from './sessions.repository';
import { Throttle } from './throttle';
import { TokenService } from './token.service';

@Global()
@Module({
  imports: [UsersModule],
  controllers: [AuthController, PasswordResetController],
  providers: [
    TokenService,
    SessionsRepository,
    SessionsCleanup,
    AccessResolver,
    Throttle,
    AuthService,
    PasswordResetRepository,
    PasswordResetService,
    PasswordHashingShutdown,
    { provide: APP_GUARD, useClass: AuthGuard },
  ],
  exports: [TokenService, SessionsRepository, AccessResolver, Throttle],
})
export class AuthModule {}
