import { Controller, Get } from '@nestjs/common';
import type { HealthResponse } from '@hi-msg/contracts';
import { Public } from '../auth/auth.guard';
import { HealthRepository } from './health.repository';

/** For load balancers and IT's monitoring: answers only when the database does. */
@Controller('api/health')
export class HealthController {
  constructor(private readonly health: HealthRepository) {}

  @Public()
  @Get()
  async check(): Promise<HealthResponse> {
    await this.health.ping();
    return { status: 'ok', db: this.health.dialect };
  }
}
