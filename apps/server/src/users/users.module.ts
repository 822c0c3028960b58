import { Module } from '@nestjs/common';
import { InitialAdminService } from './initial-admin.service';
import { PendingNotifier } from './pending.notifier';
import { UsersController } from './users.controller';
import { UsersRepository } from './users.repository';
import { UsersService } from './users.service';

@Module({
  controllers: [UsersController],
  providers: [UsersRepository, UsersService, PendingNotifier, InitialAdminService],
  exports: [UsersRepository, PendingNotifier],
})
export class UsersModule {}
