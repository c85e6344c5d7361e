import { mockApis, registerMswTestHooks } from '@backstage/frontend-test-utils';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { AwsAccessClient } from './AwsAccessClient';
import { describeError } from '../lib/errors';
import {
  campaign,
  groupItems,
  itemPage,
  overdueItem,
  priyaItem,
} from '../__testUtils__/reviews';

const BASE = 'http://backstage.test/api/aws-access';

/** The access review routes (governance.md §5, plugins/aws-access-backend/openapi.yaml). */
describe('AwsAccessClient: access reviews', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  const requests: Request[] = [];
  const client = new AwsAccessClient({
    discoveryApi: mockApis.discovery({ baseUrl: 'http://backstage.test' }),
    fetchApi: mockApis.fetch({
      injectIdentityAuth: { token: 'backstage-token' },
    }),
  });
  const calls = () =>
    requests.map(r => {
      const url = new URL(r.url);
      return `${r.method} ${url.pathname}${url.search}`;
    });

  beforeEach(() => {
    requests.length = 0;
    server.events.on('request:start', ({ request }) => {
      requests.push(request.clone());
    });
  });

  afterEach(() => {
    server.events.removeAllListeners();
  });

  it('lists campaigns as a reviewer by default and all of them when asked, with the token', async () => {
    server.use(
      http.get(`${BASE}/reviews`, () =>
        HttpResponse.json({ items: [campaign()] }),
      ),
    );
    await expect(client.listReviewCampaigns()).resolves.toEqual({
      items: [campaign()],
    });
    await client.listReviewCampaigns({ role: 'all' });
    expect(calls()).toEqual([
      'GET /api/aws-access/reviews?role=reviewer',
      'GET /api/aws-access/reviews?role=all',
    ]);
    expect(requests[0].headers.get('authorization')).toBe(
      'Bearer backstage-token',
    );
  });

  it('creates a campaign with a JSON body and reads one by its encoded id', async () => {
    server.use(
      http.post(`${BASE}/reviews`, () =>
        HttpResponse.json(campaign(), { status: 201 }),
      ),
      http.get(`${BASE}/reviews/:id`, () => HttpResponse.json(campaign())),
    );
    const body = {
      name: 'Q4',
      groups: ['group:default/aws-developers-readonly'],
      dueAt: '2026-12-31T17:00:00.000Z',
    };
    await expect(client.createReviewCampaign(body)).resolves.toEqual(
      campaign(),
    );
    await client.getReviewCampaign('rev/1');
    expect(calls()).toEqual([
      'POST /api/aws-access/reviews',
      'GET /api/aws-access/reviews/rev%2F1',
    ]);
    expect(requests[0].headers.get('content-type')).toBe('application/json');
    expect(await requests[0].json()).toEqual(body);
  });

  it('reads the items of a campaign in one call: mine by default, all or one group when asked', async () => {
    const page = itemPage([groupItems([priyaItem()])]);
    server.use(
      http.get(`${BASE}/reviews/:id/items`, () => HttpResponse.json(page)),
    );
    await expect(
      client.listReviewItems({ campaignId: 'rev-1' }),
    ).resolves.toEqual(page);
    await client.listReviewItems({
      campaignId: 'rev-1',
      reviewer: 'all',
      group: 'group:default/aws-developers-readonly',
    });
    expect(calls()).toEqual([
      'GET /api/aws-access/reviews/rev-1/items?reviewer=me',
      'GET /api/aws-access/reviews/rev-1/items?reviewer=all&group=group%3Adefault%2Faws-developers-readonly',
    ]);
  });

  it('posts a decision, a bulk keep and a delegation to their routes, the note only when there is one', async () => {
    server.use(
      http.post(`${BASE}/reviews/:id/items/:itemId/:action`, () =>
        HttpResponse.json(priyaItem()),
      ),
      http.post(`${BASE}/reviews/:id/decisions`, () =>
        HttpResponse.json({ items: [priyaItem()] }),
      ),
    );
    await client.decideReviewItem({
      campaignId: 'rev-1',
      itemId: 'item/1',
      decision: 'remove',
      note: 'left the team',
    });
    await client.decideReviewItem({
      campaignId: 'rev-1',
      itemId: 'item-2',
      decision: 'keep',
    });
    await client.keepReviewGroup({
      campaignId: 'rev-1',
      group: 'group:default/aws-developers-readonly',
    });
    await client.delegateReviewItem({
      campaignId: 'rev-1',
      itemId: 'item-3',
      to: 'user:default/sara_example.com',
      note: 'you know him',
    });
    expect(calls()).toEqual([
      'POST /api/aws-access/reviews/rev-1/items/item%2F1/decision',
      'POST /api/aws-access/reviews/rev-1/items/item-2/decision',
      'POST /api/aws-access/reviews/rev-1/decisions',
      'POST /api/aws-access/reviews/rev-1/items/item-3/delegate',
    ]);
    const bodies = await Promise.all(requests.map(r => r.json()));
    expect(bodies).toEqual([
      { decision: 'remove', note: 'left the team' },
      { decision: 'keep' },
      { group: 'group:default/aws-developers-readonly', decision: 'keep' },
      { to: 'user:default/sara_example.com', note: 'you know him' },
    ]);
  });

  it('reads the overdue items and exports the evidence as text in the asked format', async () => {
    server.use(
      http.get(`${BASE}/reviews/overdue`, () =>
        HttpResponse.json({ items: [overdueItem()] }),
      ),
      http.get(`${BASE}/reviews/:id/evidence`, ({ request }) =>
        new URL(request.url).searchParams.get('format') === 'csv'
          ? new HttpResponse('"campaignId"\r\n"rev-1"\r\n', {
              headers: { 'content-type': 'text/csv' },
            })
          : HttpResponse.json({ rows: [] }),
      ),
    );
    await expect(client.listOverdueReviewItems()).resolves.toEqual({
      items: [overdueItem()],
    });
    await expect(
      client.exportReviewEvidence({ campaignId: 'rev-1', format: 'csv' }),
    ).resolves.toBe('"campaignId"\r\n"rev-1"\r\n');
    await expect(
      client.exportReviewEvidence({ campaignId: 'rev-1', format: 'json' }),
    ).resolves.toBe('{"rows":[]}');
    expect(calls()).toEqual([
      'GET /api/aws-access/reviews/overdue',
      'GET /api/aws-access/reviews/rev-1/evidence?format=csv',
      'GET /api/aws-access/reviews/rev-1/evidence?format=json',
    ]);
    expect(requests[1].headers.get('accept')).toBe('text/csv');
  });

  it('rejects a refused decision with the backend error, so the UI can say why', async () => {
    server.use(
      http.post(`${BASE}/reviews/:id/items/:itemId/decision`, () =>
        HttpResponse.json(
          {
            error: {
              name: 'ConflictError',
              message: 'The campaign is closed',
            },
            response: { statusCode: 409 },
          },
          { status: 409 },
        ),
      ),
    );
    const error = await client
      .decideReviewItem({ campaignId: 'rev-1', itemId: 'i', decision: 'keep' })
      .catch(e => e);
    expect(describeError(error)).toMatchObject({
      kind: 'conflict',
      message: 'The campaign is closed',
    });
  });
});
