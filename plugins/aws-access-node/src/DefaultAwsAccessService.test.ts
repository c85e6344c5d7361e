import { mockServices } from '@backstage/backend-test-utils';
import { DefaultAwsAccessService } from './DefaultAwsAccessService';

describe('DefaultAwsAccessService', () => {
  const discovery = mockServices.discovery.mock({
    getBaseUrl: async pluginId => `http://backstage.test/api/${pluginId}`,
  });

  it('calls the backend with a service token for the aws-access plugin', async () => {
    const fetch = jest.fn(
      async () =>
        new Response(JSON.stringify({ snapshotVersion: 7 }), { status: 200 }),
    );
    const client = DefaultAwsAccessService.create({
      auth: mockServices.auth(),
      discovery,
      fetch,
    });

    const projection = await client.getCatalogProjection();

    expect(projection).toEqual({ snapshotVersion: 7 });
    const [url, init] = fetch.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('http://backstage.test/api/aws-access/catalog/projection');
    const authorization = (init.headers as Record<string, string>)
      .Authorization;
    expect(authorization).toMatch(/^Bearer mock-service-token/);
    expect(authorization).toContain('"target":"aws-access"');
  });

  it('throws a ResponseError carrying the backend error instead of returning partial data', async () => {
    const fetch = jest.fn(
      async () =>
        new Response(
          JSON.stringify({
            error: {
              name: 'ServiceUnavailableError',
              message: 'No snapshot yet',
            },
            response: { statusCode: 503 },
          }),
          { status: 503, headers: { 'content-type': 'application/json' } },
        ),
    );
    const client = DefaultAwsAccessService.create({
      auth: mockServices.auth(),
      discovery,
      fetch,
    });

    await expect(client.getSyncStatus()).rejects.toMatchObject({
      name: 'ResponseError',
      statusCode: 503,
      body: { error: { message: 'No snapshot yet' } },
    });
  });
});
