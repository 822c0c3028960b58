import { Controller, Get, Param, Post, Query, Req, Res, StreamableFile } from '@nestjs/common';
import { DownloadQuerySchema, IdParamSchema } from '@hi-msg/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Auth, type AuthContext } from '../common/auth-context';
import { parse } from '../common/validation';
import { FilesService } from './files.service';

@Controller('api')
export class FilesController {
  constructor(private readonly files: FilesService) {}

  @Post('upload-file')
  async upload(@Auth() auth: AuthContext, @Req() req: FastifyRequest) {
    return { file: await this.files.upload(auth, req.raw) };
  }

  @Get('download-file/:id')
  async download(@Auth() auth: AuthContext, @Param() params: unknown, @Query() query: unknown, @Res({ passthrough: true }) res: FastifyReply) {
    const { id } = parse(IdParamSchema, params);
    const { preview } = parse(DownloadQuerySchema, query);
    const out = await this.files.download(auth, id, preview === '1');
    void res.headers(out.headers);
    return new StreamableFile(out.stream);
  }
}
