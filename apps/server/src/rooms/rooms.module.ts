import { Module } from '@nestjs/common';
import { DeletionModule } from '../deletion/deletion.module';
import { MessagesRepository } from '../messages/messages.repository';
import { RoomsController } from './rooms.controller';
import { RoomsRepository } from './rooms.repository';
import { RoomsService } from './rooms.service';

/** Rooms and the room log (seq allocation) every message goes through. */
@Module({
  imports: [DeletionModule],
  controllers: [RoomsController],
  providers: [RoomsRepository, MessagesRepository, RoomsService],
  exports: [RoomsRepository, MessagesRepository, RoomsService],
})
export class RoomsModule {}
