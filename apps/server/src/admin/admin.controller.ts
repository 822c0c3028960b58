import { Controller, Get, Param, Put, Query } from '@nestjs/common';
import { AdminRoomListQuerySchema, CursorPageQuerySchema, IdParamSchema } from '@hi-msg/contracts';
import { Auth, type AuthContext } from '../common/auth-context';
import { parse } from '../common/validation';
import { AdminService } from './admin.service';

@Controller('api')
export class AdminController {
  constructor(private readonly admin: AdminService) {}

  @Get('pending-users')
  async pending(@Auth() auth: AuthContext) {
    return { users: await this.admin.pendingUsers(auth) };
  }

  @Put('approve-user/:id')
  async approve(@Auth() auth: AuthContext, @Param() params: unknown) {
    return { user: await this.admin.approveUser(auth, parse(IdParamSchema, params).id) };
  }

  @Put('reject-user/:id')
  async reject(@Auth() auth: AuthContext, @Param() params: unknown) {
    return { user: await this.admin.rejectUser(auth, parse(IdParamSchema, params).id) };
  }

  @Get('admin/rooms')
  rooms(@Auth() auth: AuthContext, @Query() query: unknown) {
    return this.admin.roomList(auth, parse(AdminRoomListQuerySchema, query));
  }

  @Get('admin/audit-log')
  auditLog(@Auth() auth: AuthContext, @Query() query: unknown) {
    return this.admin.auditLog(auth, parse(CursorPageQuerySchema, query));
  }
}
