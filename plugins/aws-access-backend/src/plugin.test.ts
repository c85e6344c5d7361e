import { mockCredentials, startTestBackend } from '@backstage/backend-test-utils';
import request from 'supertest';
import { awsAccessPlugin } from './plugin';

describe('awsAccessPlugin', () => {
  it('serves health without a token and refuses /me without one', async () => {
    const { server } = await startTestBackend({ features: [awsAccessPlugin] });

    await request(server).get('/api/aws-access/health').expect(200, { status: 'ok' });

    const unauthenticated = await request(server)
      .get('/api/aws-access/me')
      .set('Authorization', mockCredentials.none.header());
    expect(unauthenticated.status).toBe(401);
  });
});
