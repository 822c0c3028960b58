import { Body, Controller, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import {
  CreateRoomRequestSchema,
  InviteRequestSchema,
  MarkReadRequestSchema,
  MuteRequestSchema,
  RenameRoomRequestSchema,
  RoomIdParamSchema,
  RoomListQuerySchema,
  SeqPageQuerySchema,
  UserIdParamSchema,
} from '@hi-msg/contracts';
import { Auth, type AuthContext } from '../common/auth-context';
import { parse } from '../common/validation';
import { RoomsService } from './rooms.service';

@Controller('api')
export class RoomsController {
  constructor(private readonly rooms: RoomsService) {}

  @Get('chat-rooms')
  list(@Auth() auth: AuthContext, @Query() query: unknown) {
    return this.rooms.list(auth, parse(RoomListQuerySchema, query));
  }

  @Post('create-chat-room')
  async create(@Auth() auth: AuthContext, @Body() body: unknown) {
    return { room: await this.rooms.createGroup(auth, parse(CreateRoomRequestSchema, body)) };
  }

  @Get('chat-rooms/:roomId')
  detail(@Auth() auth: AuthContext, @Param() params: unknown) {
    return this.rooms.detail(auth, parse(RoomIdParamSchema, params).roomId);
  }

  @Get('chat-rooms/:roomId/messages')
  history(@Auth() auth: AuthContext, @Param() params: unknown, @Query() query: unknown) {
    return this.rooms.history(auth, parse(RoomIdParamSchema, params).roomId, parse(SeqPageQuerySchema, query));
  }

  @Post('chat-rooms/:roomId/mark-read')
  @HttpCode(200)
  markRead(@Auth() auth: AuthContext, @Param() params: unknown, @Body() body: unknown) {
    const { roomId } = parse(RoomIdParamSchema, params);
    return this.rooms.markRead(auth, roomId, parse(MarkReadRequestSchema, body ?? {}).seq);
  }

  @Post('chat-rooms/:roomId/invite')
  @HttpCode(200)
  async invite(@Auth() auth: AuthContext, @Param() params: unknown, @Body() body: unknown) {
    const { roomId } = parse(RoomIdParamSchema, params);
    return { room: await this.rooms.invite(auth, roomId, parse(InviteRequestSchema, body).userIds) };
  }

  @Post('chat-rooms/:roomId/leave')
  @HttpCode(204)
  async leave(@Auth() auth: AuthContext, @Param() params: unknown): Promise<void> {
    await this.rooms.leave(auth, parse(RoomIdParamSchema, params).roomId);
  }

  @Put('chat-rooms/:roomId/mute')
  async mute(@Auth() auth: AuthContext, @Param() params: unknown, @Body() body: unknown) {
    const { roomId } = parse(RoomIdParamSchema, params);
    return { room: await this.rooms.mute(auth, roomId, parse(MuteRequestSchema, body).muted) };
  }

  @Put('chat-rooms/:roomId/name')
  async rename(@Auth() auth: AuthContext, @Param() params: unknown, @Body() body: unknown) {
    const { roomId } = parse(RoomIdParamSchema, params);
    return { room: await this.rooms.rename(auth, roomId, parse(RenameRoomRequestSchema, body).name) };
  }

  @Get('messages/:userId')
  openDirect(@Auth() auth: AuthContext, @Param() params: unknown) {
    return this.rooms.openDirect(auth, parse(UserIdParamSchema, params).userId);
  }
}
