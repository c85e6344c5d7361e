import { createCapturingLogger, logText } from './capturingLogger';

describe('createCapturingLogger', () => {
  it("should record every line, children's included, with the children's fields", () => {
    const logger = createCapturingLogger();
    const child = logger.child({ taskId: 'sync' });
    logger.info('started', { version: 3 });
    child.child({ attempt: 2 }).warn('retrying');
    const failure = new Error('boom');
    child.error('failed', failure);

    expect(logger.records).toEqual([
      { level: 'info', message: 'started', meta: { version: 3 } },
      {
        level: 'warn',
        message: 'retrying',
        meta: { taskId: 'sync', attempt: 2 },
      },
      {
        level: 'error',
        message: 'failed',
        meta: { taskId: 'sync', error: failure },
      },
    ]);
  });
});

describe('logText', () => {
  it('should spell out fields and errors with their causes, so a secret anywhere in a line is found', () => {
    const cause = Object.assign(new Error('token rejected'), {
      body: 'secret-123',
    });
    const text = logText({
      level: 'error',
      message: 'sync failed',
      meta: { source: 'graph', error: new Error('read failed', { cause }) },
    });

    expect(text).toMatch(/^error sync failed source=graph /);
    expect(text).toContain('read failed');
    expect(text).toContain('token rejected');
    expect(text).toContain('secret-123');
  });
});
