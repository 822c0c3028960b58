import { Body, Controller, Delete, Param, Post } from '@nestjs/common';
import { IdParamSchema, SendMessageRequestSchema } from '@hi-msg/contracts';
import { Auth, type AuthContext } from '../common/auth-context';
import { parse } from '../common/validation';
import { MessagesService } from './messages.service';

@Controller('api/messages')
export class MessagesController {
  constructor(private readonly messages: MessagesService) {}

  @Post()
  async send(@Auth() auth: AuthContext, @Body() body: unknown) {
    return { message: await this.messages.send(auth, parse(SendMessageRequestSchema, body)) };
  }

  @Delete(':id')
  async delete(@Auth() auth: AuthContext, @Param() params: unknown) {
    return { message: await this.messages.delete(auth, parse(IdParamSchema, params).id) };
  }
}
