import { Module } from '@nestjs/common';
import { BackupWriter } from './backup.writer';
import { DeletionController } from './deletion.controller';
import { DeletionRepository } from './deletion.repository';
import { DeletionService } from './deletion.service';
import { RoomPurger } from './room-purger';

/** Deleting users and rooms, each backed up first; the admin's view of those backups. */
@Module({ controllers: [DeletionController], providers: [DeletionService, DeletionRepository, BackupWriter, RoomPurger], exports: [DeletionService] })
export class DeletionModule {}
