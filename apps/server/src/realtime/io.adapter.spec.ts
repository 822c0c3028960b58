import { Logger } from '@nestjs/common';
import { createServer } from 'node:net';
import { connectRedis, guardRedisCommands } from './io.adapter';

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('the Redis adapter’s clients', () => {
  beforeEach(() => jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined));
  afterEach(() => jest.restoreAllMocks());

  it('a publish or subscribe Redis gives up on is logged, not left to end the process', async () => {
    const client = connectRedis(`redis://127.0.0.1:${await closedPort()}`, 'RedisAdapter');
    try {
      const unguarded = client.publish('hi-msg:test', 'x');
      await expect(unguarded).rejects.toThrow();
      guardRedisCommands(client, new Logger('RedisAdapter'));
      await expect(client.publish('hi-msg:test', 'x')).resolves.toBe(0);
      await expect(client.psubscribe('hi-msg:test*')).resolves.toBe(0);
      expect(Logger.prototype.warn).toHaveBeenCalledWith(expect.stringMatching(/^Redis publish failed: /));
      expect(Logger.prototype.warn).toHaveBeenCalledWith(expect.stringMatching(/^Redis psubscribe failed: /));
    } finally {
      client.disconnect();
    }
  });
});
