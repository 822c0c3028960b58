import { Module } from '@nestjs/common';
import { RealtimeGateway } from '../realtime/realtime.gateway';
import { RoomsModule } from '../rooms/rooms.module';
import { MessagesController } from './messages.controller';
import { MessagesService } from './messages.service';
import { SendRepository } from './send.repository';

/** Messages over REST and the Socket.IO gateway, which speaks for both rooms and messages. */
@Module({
  imports: [RoomsModule],
  controllers: [MessagesController],
  providers: [MessagesService, SendRepository, RealtimeGateway],
})
export class MessagesModule {}
