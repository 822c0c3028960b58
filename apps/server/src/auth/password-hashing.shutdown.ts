import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { closePasswordHashing } from './password';

/** Ends the password hashing threads when the server closes, once requests have stopped. */
@Injectable()
export class PasswordHashingShutdown implements OnApplicationShutdown {
  onApplicationShutdown(): Promise<void> {
    return closePasswordHashing();
  }
}
