import { Controller, Delete, Get, HttpCode, Param, Res, StreamableFile } from '@nestjs/common';
import { BackupParamSchema, IdParamSchema } from '@hi-msg/contracts';
import type { FastifyReply } from 'fastify';
import { Auth, type AuthContext } from '../common/auth-context';
import { parse } from '../common/validation';
import { contentDisposition } from '../files/file-name';
import { DeletionService } from './deletion.service';

@Controller('api')
export class DeletionController {
  constructor(private readonly deletion: DeletionService) {}

  @Delete('delete-user/:id')
  @HttpCode(204)
  async deleteUser(@Auth() auth: AuthContext, @Param() params: unknown): Promise<void> {
    await this.deletion.deleteUser(auth, parse(IdParamSchema, params).id);
  }

  @Delete('delete-chat-room/:id')
  @HttpCode(204)
  async deleteRoom(@Auth() auth: AuthContext, @Param() params: unknown): Promise<void> {
    await this.deletion.deleteRoom(auth, parse(IdParamSchema, params).id);
  }

  @Get('admin/backups')
  async backups(@Auth() auth: AuthContext) {
    return { backups: await this.deletion.listBackups(auth) };
  }

  @Get('admin/backups/:kind/:name')
  async backup(@Auth() auth: AuthContext, @Param() params: unknown, @Res({ passthrough: true }) res: FastifyReply) {
    const { kind, name } = parse(BackupParamSchema, params);
    const file = await this.deletion.openBackup(auth, kind, name);
    void res.headers({
      'Content-Type': name.endsWith('.json') ? 'application/json; charset=utf-8' : 'text/plain; charset=utf-8',
      'Content-Length': String(file.size),
      'Content-Disposition': contentDisposition('attachment', name),
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'no-store',
    });
    return new StreamableFile(file.stream);
  }
}
