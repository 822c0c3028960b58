import type { MigrationInterface, QueryRunner } from 'typeorm';

const TABLE = 'ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci';

export class InitialSchemaMysql1764000000000 implements MigrationInterface {
  name = 'InitialSchemaMysql1764000000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE users (
      id varchar(36) NOT NULL PRIMARY KEY,
      employee_id varchar(32) NOT NULL,
      name varchar(64) NOT NULL,
      email varchar(254) NOT NULL,
      department varchar(64) NOT NULL,
      position varchar(64) NOT NULL,
      grade varchar(32) NOT NULL,
      password_hash varchar(255) NOT NULL,
      role varchar(8) NOT NULL DEFAULT 'user',
      status varchar(16) NOT NULL DEFAULT 'pending',
      token_version int NOT NULL DEFAULT 0,
      created_at datetime(3) NOT NULL,
      approved_at datetime(3) NULL,
      approved_by varchar(36) NULL,
      UNIQUE KEY uq_users_employee_id (employee_id),
      UNIQUE KEY uq_users_email (email),
      KEY idx_users_status_name (status, name),
      KEY idx_users_department (department)
    ) ${TABLE}`);
    await q.query(`CREATE TABLE rooms (
      id varchar(36) NOT NULL PRIMARY KEY,
      kind varchar(8) NOT NULL,
      name varchar(100) NULL,
      direct_key varchar(73) NULL,
      created_by varchar(36) NULL,
      last_seq int NOT NULL DEFAULT 0,
      last_message_at datetime(3) NULL,
      created_at datetime(3) NOT NULL,
      UNIQUE KEY uq_rooms_direct_key (direct_key)
    ) ${TABLE}`);
    await q.query(`CREATE TABLE room_members (
      room_id varchar(36) NOT NULL,
      user_id varchar(36) NOT NULL,
      joined_at datetime(3) NOT NULL,
      joined_seq int NOT NULL DEFAULT 0,
      last_read_seq int NOT NULL DEFAULT 0,
      muted tinyint(1) NOT NULL DEFAULT 0,
      PRIMARY KEY (room_id, user_id),
      KEY idx_room_members_user (user_id),
      CONSTRAINT fk_room_members_room FOREIGN KEY (room_id) REFERENCES rooms(id) ON DELETE CASCADE,
      CONSTRAINT fk_room_members_user FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE
    ) ${TABLE}`);
    await q.query(`CREATE TABLE messages (
      id varchar(36) NOT NULL PRIMARY KEY,
      room_id varchar(36) NOT NULL,
      seq int NOT NULL,
      sender_id varchar(36) NULL,
      client_id varchar(36) NULL,
      kind varchar(8) NOT NULL,
      body text NULL,
      file_id varchar(36) NULL,
      created_at datetime(3) NOT NULL,
      deleted_at datetime(3) NULL,
      UNIQUE KEY uq_messages_room_seq (room_id, seq),
      UNIQUE KEY uq_messages_sender_client (sender_id, client_id),
      CONSTRAINT fk_messages_room FOREIGN KEY (room_id) REFERENCES rooms(id) ON DELETE CASCADE
    ) ${TABLE}`);
    await q.query(`CREATE TABLE files (
      id varchar(36) NOT NULL PRIMARY KEY,
      uploader_id varchar(36) NOT NULL,
      original_name varchar(255) NOT NULL,
      stored_path varchar(255) NOT NULL,
      thumb_path varchar(255) NULL,
      mime varchar(128) NOT NULL,
      size int NOT NULL,
      sha256 varchar(64) NOT NULL,
      message_id varchar(36) NULL,
      created_at datetime(3) NOT NULL,
      KEY idx_files_message (message_id),
      KEY idx_files_unsent (message_id, created_at)
    ) ${TABLE}`);
    await q.query(`CREATE TABLE password_reset_requests (
      id varchar(36) NOT NULL PRIMARY KEY,
      user_id varchar(36) NOT NULL,
      status varchar(16) NOT NULL,
      ticket_hash varchar(64) NOT NULL,
      requested_at datetime(3) NOT NULL,
      expires_at datetime(3) NOT NULL,
      decided_at datetime(3) NULL,
      decided_by varchar(36) NULL,
      completed_at datetime(3) NULL,
      UNIQUE KEY uq_reset_ticket (ticket_hash),
      KEY idx_reset_status (status, requested_at),
      KEY idx_reset_user (user_id),
      CONSTRAINT fk_reset_user FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE
    ) ${TABLE}`);
    await q.query(`CREATE TABLE sessions (
      id varchar(36) NOT NULL PRIMARY KEY,
      user_id varchar(36) NOT NULL,
      refresh_hash varchar(64) NOT NULL,
      generation int NOT NULL DEFAULT 0,
      device varchar(120) NULL,
      created_at datetime(3) NOT NULL,
      expires_at datetime(3) NOT NULL,
      revoked_at datetime(3) NULL,
      KEY idx_sessions_user (user_id),
      CONSTRAINT fk_sessions_user FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE
    ) ${TABLE}`);
    await q.query(`CREATE TABLE audit_log (
      id int NOT NULL AUTO_INCREMENT PRIMARY KEY,
      actor_id varchar(36) NULL,
      action varchar(64) NOT NULL,
      target varchar(128) NULL,
      detail text NULL,
      at datetime(3) NOT NULL,
      KEY idx_audit_at (at)
    ) ${TABLE}`);
  }

  public async down(q: QueryRunner): Promise<void> {
    for (const t of ['audit_log', 'sessions', 'password_reset_requests', 'files', 'messages', 'room_members', 'rooms', 'users']) {
      await q.query(`DROP TABLE ${t}`);
    }
  }
}
