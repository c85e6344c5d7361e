import { ResponseError } from '@backstage/errors';
import { describeError } from './errors';

async function responseError(
  status: number,
  body: object,
  headers: Record<string, string> = {},
) {
  const response = {
    ok: false,
    status,
    statusText: 'x',
    headers: {
      get: (name: string): string | null =>
        ((
          { 'content-type': 'application/json', ...headers } as Record<
            string,
            string
          >
        )[name.toLowerCase()] ?? null),
    },
    url: 'http://localhost/api/aws-access/me',
    text: async () => JSON.stringify(body),
  };
  return ResponseError.fromResponse(response as any);
}

describe('describeError', () => {
  it('reads the status, the backend message and Retry-After of a ResponseError', async () => {
    const error = await responseError(
      503,
      {
        error: { name: 'ServiceUnavailableError', message: 'No snapshot yet' },
        response: { statusCode: 503 },
      },
      { 'retry-after': '30' },
    );
    expect(describeError(error)).toEqual({
      kind: 'not-synced',
      message: 'No snapshot yet',
      retryAfterSeconds: 30,
    });
  });

  it.each([
    [404, 'NotFoundError', 'not-found'],
    [403, 'NotAllowedError', 'forbidden'],
    [400, 'InputError', 'invalid'],
    [409, 'ConflictError', 'conflict'],
    [500, 'Error', 'unknown'],
  ])('maps %d to %s', async (status, name, kind) => {
    const error = await responseError(status, {
      error: { name, message: 'm' },
      response: { statusCode: status },
    });
    expect(describeError(error)).toMatchObject({ kind, message: 'm' });
  });

  it('falls back to the error name', () => {
    const error = new Error('nope');
    error.name = 'NotAllowedError';
    expect(describeError(error)).toEqual({
      kind: 'forbidden',
      message: 'nope',
      retryAfterSeconds: undefined,
    });
    expect(describeError(new Error('x')).kind).toBe('unknown');
    const conflict = new Error('The plan changed');
    conflict.name = 'ConflictError';
    expect(describeError(conflict).kind).toBe('conflict');
  });

  it('keeps the field a 400 names, so a form can show the message next to it', async () => {
    const error = await responseError(400, {
      error: {
        name: 'InputError',
        message: 'duration PT8H is longer than the policy allows (PT4H)',
        field: 'duration',
      },
      response: { statusCode: 400 },
    });
    expect(describeError(error)).toEqual({
      kind: 'invalid',
      message: 'duration PT8H is longer than the policy allows (PT4H)',
      retryAfterSeconds: undefined,
      field: 'duration',
    });
  });
});
