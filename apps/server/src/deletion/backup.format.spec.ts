import type { MessageEntity } from '../database/entities';
import { DEPARTED, formatSize, formatTime, messageText, personLabel, roomLabel } from './backup.format';

const message = (over: Partial<MessageEntity>): MessageEntity =>
  Object.assign({ id: 'm1', roomId: 'r1', seq: 7, senderId: 'u1', clientId: null, kind: 'text', body: '안녕하세요', fileId: null, createdAt: new Date(2026, 10, 26, 9, 5, 3), deletedAt: null }, over);

describe('backup transcript', () => {
  it('writes a message as [time] #seq who: body, with its attachment on the next line', () => {
    expect(messageText(message({}), undefined, '홍길동 (E100)')).toBe(`[${formatTime(new Date(2026, 10, 26, 9, 5, 3))}] #7 홍길동 (E100): 안녕하세요\n`);
    const withFile = messageText(message({ kind: 'file', body: null, fileId: 'f1' }), { originalName: '보고서.pdf', mime: 'application/pdf', size: 1536 }, '홍길동');
    expect(withFile).toContain('\n    [첨부 파일] 보고서.pdf (1.5 KB)\n');
  });

  it('marks deleted messages without their old content', () => {
    expect(messageText(message({ deletedAt: new Date(), body: null }), undefined, '홍길동')).toMatch(/: \(삭제된 메시지\)\n$/);
  });

  it('names rooms and people a reader recognises, departed ones included', () => {
    expect(roomLabel({ kind: 'group', name: '개발팀' }, ['a', 'b'])).toBe('개발팀 (그룹)');
    expect(roomLabel({ kind: 'direct', name: null }, ['김철수', '이영희'])).toBe('1:1 대화: 김철수, 이영희');
    expect(personLabel(undefined)).toBe(DEPARTED);
    expect(personLabel({ id: 'u', employeeId: 'E1', name: '박민수', department: '영업' })).toBe('박민수 (E1)');
  });

  it('formats times with their offset and sizes in readable units', () => {
    expect(formatTime(new Date(2026, 0, 2, 3, 4, 5))).toMatch(/^2026-01-02 03:04:05 \(UTC[+-]\d\d:\d\d\)$/);
    expect([formatSize(512), formatSize(2048), formatSize(5 * 1024 * 1024)]).toEqual(['512 B', '2.0 KB', '5.0 MB']);
  });
});
