import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BACKUP_NAME_PATTERN } from '@hi-msg/contracts';
import type { AppConfig } from '../config/config';
import { BackupWriter } from './backup.writer';

describe('BackupWriter names', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'hi-msg-backups-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('a backup of an employee ID starting with "_" or "-" is listed and can be opened like any other', async () => {
    const writer = new BackupWriter({ backupDir: dir } as AppConfig);
    const written: string[] = [];
    for (const label of ['_temp01', '-intern.02', '홍길동', 'E1234']) {
      const draft = await writer.begin('user', label, new Date('2026-12-07T10:00:00.000Z'));
      written.push(...(await draft.commit()));
    }
    for (const name of written) expect(name).toMatch(BACKUP_NAME_PATTERN);
    expect(written.filter((n) => n.endsWith('.json')).map((n) => n.split('-2026')[0])).toEqual(['temp01', 'intern_02', 'x', 'E1234']);
    expect((await writer.list()).map((b) => b.name).sort()).toEqual([...written].sort());
    const opened = await writer.open('user', written[0]!);
    expect(opened).not.toBeNull();
    opened?.stream.destroy();
  });
});
