import { Global, Module } from '@nestjs/common';
import { PRESENCE_STORE } from './presence.store';
import { RealtimeService } from './realtime.service';
import { presenceStoreProvider } from './redis-presence.store';

@Global()
@Module({
  providers: [RealtimeService, presenceStoreProvider],
  exports: [RealtimeService, PRESENCE_STORE],
})
export class RealtimeModule {}
