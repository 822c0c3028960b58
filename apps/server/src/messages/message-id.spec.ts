import { UuidSchema } from '@hi-msg/contracts';
import { newMessageId } from './message-id';

describe('message ids', () => {
  it('are UUIDs the contracts accept, of version 7, and each one sorts after the one made before it', () => {
    const ids = Array.from({ length: 2000 }, () => newMessageId());
    for (const id of ids) {
      expect(UuidSchema.safeParse(id).success).toBe(true);
      expect(id[14]).toBe('7');
    }
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
  });
});
