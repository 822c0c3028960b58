import type { z } from 'zod';
import * as A from './admin';
import * as F from './files';
import * as M from './messages';
import * as R from './rooms';
import * as U from './users';
import { CursorPageQuerySchema, HealthResponseSchema, SeqPageQuerySchema } from './common';

export interface RouteDef {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  summary: string;
  auth: 'none' | 'user' | 'admin';
  body?: z.ZodType;
  query?: z.ZodType;
  response?: z.ZodType;
  status?: number;
}

/** Every REST route of the product; the server publishes this as OpenAPI at /api/docs. */
export const ROUTES = {
  register: { method: 'POST', path: '/api/register', summary: 'Sign up; the account starts pending approval', auth: 'none', body: U.RegisterRequestSchema, response: U.RegisterResponseSchema, status: 201 },
  login: { method: 'POST', path: '/api/login', summary: 'Log in; returns the tokens', auth: 'none', body: U.LoginRequestSchema, response: U.LoginResponseSchema, status: 200 },
  refresh: { method: 'POST', path: '/api/auth/refresh', summary: 'Rotate the refresh token', auth: 'none', body: U.RefreshRequestSchema, response: U.TokenPairSchema, status: 200 },
  logout: { method: 'POST', path: '/api/auth/logout', summary: 'End this session', auth: 'none', body: U.LogoutRequestSchema, status: 204 },
  health: { method: 'GET', path: '/api/health', summary: 'Liveness and database check', auth: 'none', response: HealthResponseSchema },
  users: { method: 'GET', path: '/api/users', summary: 'Approved users, filtered and paged', auth: 'user', query: U.UserListQuerySchema, response: U.UserListResponseSchema },
  me: { method: 'GET', path: '/api/users/me', summary: 'My profile', auth: 'user', response: U.RegisterResponseSchema },
  changePassword: { method: 'PUT', path: '/api/users/me/password', summary: 'Change my password; my other sessions end', auth: 'user', body: U.ChangePasswordRequestSchema, status: 204 },
  directHistory: { method: 'GET', path: '/api/messages/{userId}', summary: '1:1 history with that user', auth: 'user', response: R.RoomDetailResponseSchema },
  sendMessage: { method: 'POST', path: '/api/messages', summary: 'Send a message (1:1 or group)', auth: 'user', body: M.SendMessageRequestSchema, response: M.SendMessageResponseSchema, status: 201 },
  deleteMessage: { method: 'DELETE', path: '/api/messages/{id}', summary: 'Delete my own message', auth: 'user', response: M.SendMessageResponseSchema },
  rooms: { method: 'GET', path: '/api/chat-rooms', summary: 'My rooms with unread counts, paged with limit and cursor', auth: 'user', query: R.RoomListQuerySchema, response: R.RoomListResponseSchema },
  createRoom: { method: 'POST', path: '/api/create-chat-room', summary: 'Create a group room', auth: 'user', body: R.CreateRoomRequestSchema, response: R.RoomResponseSchema, status: 201 },
  room: { method: 'GET', path: '/api/chat-rooms/{roomId}', summary: "A room's latest messages and members", auth: 'user', response: R.RoomDetailResponseSchema },
  roomMessages: { method: 'GET', path: '/api/chat-rooms/{roomId}/messages', summary: 'History paged by seq', auth: 'user', query: SeqPageQuerySchema, response: M.MessagePageSchema },
  markRead: { method: 'POST', path: '/api/chat-rooms/{roomId}/mark-read', summary: 'Mark the room read', auth: 'user', body: R.MarkReadRequestSchema, response: R.MarkReadResponseSchema },
  invite: { method: 'POST', path: '/api/chat-rooms/{roomId}/invite', summary: 'Invite members to a group', auth: 'user', body: R.InviteRequestSchema, response: R.RoomResponseSchema },
  leave: { method: 'POST', path: '/api/chat-rooms/{roomId}/leave', summary: 'Leave a group', auth: 'user', status: 204 },
  mute: { method: 'PUT', path: '/api/chat-rooms/{roomId}/mute', summary: 'Mute or unmute a room', auth: 'user', body: R.MuteRequestSchema, response: R.RoomResponseSchema },
  renameRoom: { method: 'PUT', path: '/api/chat-rooms/{roomId}/name', summary: 'Rename a group (any member)', auth: 'user', body: R.RenameRoomRequestSchema, response: R.RoomResponseSchema },
  deleteRoom: { method: 'DELETE', path: '/api/delete-chat-room/{id}', summary: 'Delete a room (its log is backed up first)', auth: 'user', status: 204 },
  upload: { method: 'POST', path: '/api/upload-file', summary: 'Upload a file (10 MB, 14 types), multipart field "file"', auth: 'user', response: F.UploadResponseSchema, status: 201 },
  download: { method: 'GET', path: '/api/download-file/{id}', summary: 'Download a file, or preview an image inline', auth: 'user', query: F.DownloadQuerySchema },
  pendingUsers: { method: 'GET', path: '/api/pending-users', summary: 'Admin: pending signups', auth: 'admin', response: A.PendingUsersResponseSchema },
  approveUser: { method: 'PUT', path: '/api/approve-user/{id}', summary: 'Admin: approve a signup', auth: 'admin', response: U.RegisterResponseSchema },
  rejectUser: { method: 'PUT', path: '/api/reject-user/{id}', summary: 'Admin: reject a signup', auth: 'admin', response: U.RegisterResponseSchema },
  deleteUser: { method: 'DELETE', path: '/api/delete-user/{id}', summary: 'Admin: delete a user (chat logs backed up first)', auth: 'admin', status: 204 },
  resetRequest: { method: 'POST', path: '/api/password-reset/request', summary: 'Ask for a password reset', auth: 'none', body: U.ResetRequestSchema, response: U.ResetRequestResponseSchema, status: 201 },
  resetStatus: { method: 'POST', path: '/api/password-reset/status', summary: "Check my request's status", auth: 'none', body: U.ResetStatusRequestSchema, response: U.ResetStatusResponseSchema, status: 200 },
  resetRequests: { method: 'GET', path: '/api/password-reset/requests', summary: 'Admin: reset requests', auth: 'admin', response: A.ResetRequestListResponseSchema },
  resetApprove: { method: 'PUT', path: '/api/password-reset/approve/{id}', summary: 'Admin: approve a reset', auth: 'admin', response: U.ResetStatusResponseSchema },
  resetReject: { method: 'PUT', path: '/api/password-reset/reject/{id}', summary: 'Admin: reject a reset', auth: 'admin', response: U.ResetStatusResponseSchema },
  resetComplete: { method: 'POST', path: '/api/password-reset/reset', summary: 'Set the new password', auth: 'none', body: U.ResetCompleteRequestSchema, status: 204 },
  adminRooms: { method: 'GET', path: '/api/admin/rooms', summary: 'Admin: every chat room, to find one to delete (empty groups included)', auth: 'admin', query: A.AdminRoomListQuerySchema, response: A.AdminRoomListResponseSchema },
  auditLog: { method: 'GET', path: '/api/admin/audit-log', summary: 'Admin: the audit log, newest first', auth: 'admin', query: CursorPageQuerySchema, response: A.AuditListResponseSchema },
  backups: { method: 'GET', path: '/api/admin/backups', summary: 'Admin: deletion backups', auth: 'admin', response: A.BackupListResponseSchema },
  backupDownload: { method: 'GET', path: '/api/admin/backups/{kind}/{name}', summary: 'Admin: download one backup file', auth: 'admin' },
} as const satisfies Record<string, RouteDef>;
export type RouteName = keyof typeof ROUTES;
