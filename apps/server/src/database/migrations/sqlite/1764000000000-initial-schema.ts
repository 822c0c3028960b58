import type { MigrationInterface, QueryRunner } from 'typeorm';

export class InitialSchemaSqlite1764000000000 implements MigrationInterface {
  name = 'InitialSchemaSqlite1764000000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE users (
      id varchar(36) PRIMARY KEY NOT NULL,
      employee_id varchar(32) NOT NULL UNIQUE,
      name varchar(64) NOT NULL,
      email varchar(254) NOT NULL UNIQUE COLLATE NOCASE,
      department varchar(64) NOT NULL,
      position varchar(64) NOT NULL,
      grade varchar(32) NOT NULL,
      password_hash varchar(255) NOT NULL,
      role varchar(8) NOT NULL DEFAULT 'user',
      status varchar(16) NOT NULL DEFAULT 'pending',
      token_version integer NOT NULL DEFAULT 0,
      created_at datetime NOT NULL,
      approved_at datetime NULL,
      approved_by varchar(36) NULL
    )`);
    await q.query(`CREATE INDEX idx_users_status_name ON users (status, name)`);
    await q.query(`CREATE INDEX idx_users_department ON users (department)`);
    await q.query(`CREATE TABLE rooms (
      id varchar(36) PRIMARY KEY NOT NULL,
      kind varchar(8) NOT NULL,
      name varchar(100) NULL,
      direct_key varchar(73) NULL UNIQUE,
      created_by varchar(36) NULL,
      last_seq integer NOT NULL DEFAULT 0,
      last_message_at datetime NULL,
      created_at datetime NOT NULL
    )`);
    await q.query(`CREATE TABLE room_members (
      room_id varchar(36) NOT NULL REFERENCES rooms(id) ON DELETE CASCADE,
      user_id varchar(36) NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      joined_at datetime NOT NULL,
      joined_seq integer NOT NULL DEFAULT 0,
      last_read_seq integer NOT NULL DEFAULT 0,
      muted boolean NOT NULL DEFAULT 0,
      PRIMARY KEY (room_id, user_id)
    )`);
    await q.query(`CREATE INDEX idx_room_members_user ON room_members (user_id)`);
    await q.query(`CREATE TABLE messages (
      id varchar(36) PRIMARY KEY NOT NULL,
      room_id varchar(36) NOT NULL REFERENCES rooms(id) ON DELETE CASCADE,
      seq integer NOT NULL,
      sender_id varchar(36) NULL,
      client_id varchar(36) NULL,
      kind varchar(8) NOT NULL,
      body text NULL,
      file_id varchar(36) NULL,
      created_at datetime NOT NULL,
      deleted_at datetime NULL
    )`);
    await q.query(`CREATE UNIQUE INDEX uq_messages_room_seq ON messages (room_id, seq)`);
    await q.query(`CREATE UNIQUE INDEX uq_messages_sender_client ON messages (sender_id, client_id)`);
    await q.query(`CREATE TABLE files (
      id varchar(36) PRIMARY KEY NOT NULL,
      uploader_id varchar(36) NOT NULL,
      original_name varchar(255) NOT NULL,
      stored_path varchar(255) NOT NULL,
      thumb_path varchar(255) NULL,
      mime varchar(128) NOT NULL,
      size integer NOT NULL,
      sha256 varchar(64) NOT NULL,
      message_id varchar(36) NULL,
      created_at datetime NOT NULL
    )`);
    await q.query(`CREATE INDEX idx_files_message ON files (message_id)`);
    await q.query(`CREATE INDEX idx_files_unsent ON files (message_id, created_at)`);
    await q.query(`CREATE TABLE password_reset_requests (
      id varchar(36) PRIMARY KEY NOT NULL,
      user_id varchar(36) NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      status varchar(16) NOT NULL,
      ticket_hash varchar(64) NOT NULL UNIQUE,
      requested_at datetime NOT NULL,
      expires_at datetime NOT NULL,
      decided_at datetime NULL,
      decided_by varchar(36) NULL,
      completed_at datetime NULL
    )`);
    await q.query(`CREATE INDEX idx_reset_status ON password_reset_requests (status, requested_at)`);
    await q.query(`CREATE INDEX idx_reset_user ON password_reset_requests (user_id)`);
    await q.query(`CREATE TABLE sessions (
      id varchar(36) PRIMARY KEY NOT NULL,
      user_id varchar(36) NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      refresh_hash varchar(64) NOT NULL,
      generation integer NOT NULL DEFAULT 0,
      device varchar(120) NULL,
      created_at datetime NOT NULL,
      expires_at datetime NOT NULL,
      revoked_at datetime NULL
    )`);
    await q.query(`CREATE INDEX idx_sessions_user ON sessions (user_id)`);
    await q.query(`CREATE TABLE audit_log (
      id integer PRIMARY KEY AUTOINCREMENT NOT NULL,
      actor_id varchar(36) NULL,
      action varchar(64) NOT NULL,
      target varchar(128) NULL,
      detail text NULL,
      at datetime NOT NULL
    )`);
  }

  public async down(q: QueryRunner): Promise<void> {
    for (const t of ['audit_log', 'sessions', 'password_reset_requests', 'files', 'messages', 'room_members', 'rooms', 'users']) {
      await q.query(`DROP TABLE ${t}`);
    }
  }
}
