import { Logger } from '@nestjs/common';
import { createApp } from './app.factory';
import { ConfigError, loadConfig } from './config/config';

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
  new Logger('Hi_Msg').log(`Listening on http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${config.port} (database: ${config.db.type})`);
}

void main();
