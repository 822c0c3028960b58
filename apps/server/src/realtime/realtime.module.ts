import { Global, Module } from '@nestjs/common';
import { ContactsRepository } from './contacts.repository';
import { PRESENCE_STORE } from './presence.store';
import { RealtimeService } from './realtime.service';
import { presenceStoreProvider } from './redis-presence.store';

@Global()
@Module({
  providers: [RealtimeService, presenceStoreProvider, ContactsRepository],
  exports: [RealtimeService, PRESENCE_STORE, ContactsRepository],
})
export class RealtimeModule {}
