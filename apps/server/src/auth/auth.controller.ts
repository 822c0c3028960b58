import { Body, Controller, HttpCode, Ip, Post } from '@nestjs/common';
import { LoginRequestSchema, LogoutRequestSchema, RefreshRequestSchema, RegisterRequestSchema } from '@hi-msg/contracts';
import { parse } from '../common/validation';
import { Public } from './auth.guard';
import { AuthService } from './auth.service';

@Controller('api')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Public()
  @Post('register')
  @HttpCode(201)
  async register(@Body() body: unknown, @Ip() ip: string) {
    return { user: await this.auth.register(parse(RegisterRequestSchema, body), ip) };
  }

  @Public()
  @Post('login')
  @HttpCode(200)
  login(@Body() body: unknown, @Ip() ip: string) {
    return this.auth.login(parse(LoginRequestSchema, body), ip);
  }

  @Public()
  @Post('auth/refresh')
  @HttpCode(200)
  refresh(@Body() body: unknown) {
    return this.auth.refresh(parse(RefreshRequestSchema, body).refreshToken);
  }

  @Public()
  @Post('auth/logout')
  @HttpCode(204)
  logout(@Body() body: unknown) {
    return this.auth.logout(parse(LogoutRequestSchema, body).refreshToken);
  }
}
