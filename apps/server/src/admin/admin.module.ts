import { Module } from '@nestjs/common';
import { UsersModule } from '../users/users.module';
import { AdminController } from './admin.controller';
import { AdminRoomsRepository } from './admin-rooms.repository';
import { AdminService } from './admin.service';

@Module({ imports: [UsersModule], controllers: [AdminController], providers: [AdminService, AdminRoomsRepository] })
export class AdminModule {}
