import { AuditLogEntity } from './audit-log.entity';
import { FileEntity } from './file.entity';
import { MessageEntity } from './message.entity';
import { PasswordResetEntity } from './password-reset.entity';
import { RoomMemberEntity } from './room-member.entity';
import { RoomEntity } from './room.entity';
import { SessionEntity } from './session.entity';
import { UserEntity } from './user.entity';

export { AuditLogEntity, FileEntity, MessageEntity, PasswordResetEntity, RoomEntity, RoomMemberEntity, SessionEntity, UserEntity };

export const ENTITIES = [UserEntity, RoomEntity, RoomMemberEntity, MessageEntity, FileEntity, PasswordResetEntity, SessionEntity, AuditLogEntity];
