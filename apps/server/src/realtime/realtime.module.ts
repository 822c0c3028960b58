import { Global, Module } from '@nestjs/common';
import { InMemoryPresenceStore, PRESENCE_STORE } from './presence.store';
import { RealtimeService } from './realtime.service';

@Global()
@Module({
  providers: [RealtimeService, { provide: PRESENCE_STORE, useClass: InMemoryPresenceStore }],
  exports: [RealtimeService, PRESENCE_STORE],
})
export class RealtimeModule {}
