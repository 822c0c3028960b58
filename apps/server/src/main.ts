import { Logger } from '@nestjs/common';
import { createApp } from './app.factory';
import { ConfigError, loadConfig } from './config/config';
import { startupFailure } from './config/startup-failure';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
  const app = await createApp(config);
  await app.listen(config.port, config.host);
  const log = new Logger('Hi_Msg');
  if (config.redisUrl && config.jwtSecretFrom === 'file') {
    log.warn(`REDIS_URL is set but JWT_SECRET is not: this process signs sign-ins with the key in ${config.dataDir}. Every process must use the same key, or users are signed out when they reach another one: set the same JWT_SECRET on all of them (or give them one shared DATA_DIR).`);
  }
  log.log(`Listening on http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${config.port} (database: ${config.db.type})`);
}

// A failure nothing waited for (a network client giving up, say) is logged; it does not end a
// server everyone in the company is connected to.
process.on('unhandledRejection', (reason) => new Logger('Hi_Msg').error(`unhandled failure: ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}`));

main().catch((err: unknown) => {
  console.error(startupFailure(err));
  process.exit(1);
});
