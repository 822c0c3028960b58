import { Global, Module } from '@nestjs/common';
import { FilesCleanup } from './files.cleanup';
import { FilesController } from './files.controller';
import { FilesRepository } from './files.repository';
import { FilesService } from './files.service';

@Global()
@Module({ controllers: [FilesController], providers: [FilesService, FilesRepository, FilesCleanup], exports: [FilesService, FilesRepository] })
export class FilesModule {}
