import { Body, Controller, Get, HttpCode, Ip, Param, Post, Put } from '@nestjs/common';
import { IdParamSchema, ResetCompleteRequestSchema, ResetRequestSchema, ResetStatusRequestSchema } from '@hi-msg/contracts';
import { Auth, type AuthContext } from '../common/auth-context';
import { parse } from '../common/validation';
import { Public } from './auth.guard';
import { PasswordResetService } from './password-reset.service';

@Controller('api/password-reset')
export class PasswordResetController {
  constructor(private readonly resets: PasswordResetService) {}

  @Public()
  @Post('request')
  @HttpCode(201)
  request(@Body() body: unknown, @Ip() ip: string) {
    return this.resets.request(parse(ResetRequestSchema, body), ip);
  }

  @Public()
  @Post('status')
  @HttpCode(200)
  async status(@Body() body: unknown) {
    return { status: await this.resets.status(parse(ResetStatusRequestSchema, body).ticket) };
  }

  @Public()
  @Post('reset')
  @HttpCode(204)
  complete(@Body() body: unknown) {
    return this.resets.complete(parse(ResetCompleteRequestSchema, body));
  }

  @Get('requests')
  async list(@Auth() auth: AuthContext) {
    return { requests: await this.resets.list(auth) };
  }

  @Put('approve/:id')
  async approve(@Auth() auth: AuthContext, @Param() params: unknown) {
    return { status: await this.resets.approve(auth, parse(IdParamSchema, params).id) };
  }

  @Put('reject/:id')
  async reject(@Auth() auth: AuthContext, @Param() params: unknown) {
    return { status: await this.resets.reject(auth, parse(IdParamSchema, params).id) };
  }
}
