import { startupFailure } from './startup-failure';

describe('startupFailure', () => {
  it('names the setting to look at, in one line without a stack', () => {
    const mysql = { DB_TYPE: 'mysql' } as NodeJS.ProcessEnv;
    const denied = Object.assign(new Error("Access denied for user 'hi_msg'@'localhost'"), { code: 'ER_ACCESS_DENIED_ERROR' });
    expect(startupFailure(denied, mysql)).toMatch(/^Hi_Msg could not start: MySQL at MYSQL_URL refused or cannot be reached \(ER_ACCESS_DENIED_ERROR: Access denied/);
    expect(startupFailure(Object.assign(new Error('connect ECONNREFUSED 10.0.0.5:3306'), { code: 'ECONNREFUSED' }), mysql)).toMatch(/MYSQL_URL/);
    const redis = Object.assign(new Error('Reached the max retries per request limit (which is 3).'), { name: 'MaxRetriesPerRequestError' });
    expect(startupFailure(redis, {})).toMatch(/REDIS_URL/);
    expect(startupFailure(Object.assign(new Error('listen EADDRINUSE: address already in use 0.0.0.0:5050'), { code: 'EADDRINUSE' }), { PORT: '5050' })).toBe(
      'Hi_Msg could not start: port 5050 is already in use. Stop the other program or set PORT.',
    );
    expect(startupFailure(Object.assign(new Error("EACCES: permission denied, mkdir '/srv/hi-msg/uploads/ab'"), { code: 'EACCES' }), {})).toMatch(/DATA_DIR, UPLOAD_DIR and BACKUP_DIR/);
    for (const err of [denied, redis, new Error('anything else'), 'a string']) expect(startupFailure(err, mysql)).not.toMatch(/\n|\s{2}at /);
  });
});
