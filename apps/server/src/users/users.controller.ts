import { Body, Controller, Get, HttpCode, Put, Query } from '@nestjs/common';
import { ChangePasswordRequestSchema, UserListQuerySchema } from '@hi-msg/contracts';
import { Auth, type AuthContext } from '../common/auth-context';
import { parse } from '../common/validation';
import { UsersService } from './users.service';

@Controller('api/users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  list(@Auth() auth: AuthContext, @Query() query: unknown) {
    return this.users.list(auth, parse(UserListQuerySchema, query));
  }

  @Get('me')
  async me(@Auth() auth: AuthContext) {
    return { user: await this.users.me(auth) };
  }

  @Put('me/password')
  @HttpCode(204)
  changePassword(@Auth() auth: AuthContext, @Body() body: unknown) {
    return this.users.changePassword(auth, parse(ChangePasswordRequestSchema, body));
  }
}
