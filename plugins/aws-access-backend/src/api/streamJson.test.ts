import { turnCounter } from '@aws-access/test-utils';
import express from 'express';
import request from 'supertest';
import { AccessIndex } from '../snapshot/AccessIndex';
import { miniSnapshot } from '../snapshot/__fixtures__/miniSnapshot';
import { runAtOnce, runInSlices } from '../snapshot/slices';
import { streamJson } from './streamJson';
import {
  catalogProjection,
  catalogProjectionSliced,
} from './views/catalogProjection';

/*
 * Issue 18: the catalog projection (tens of MB at 100,000 people) is built and written in slices that give the
 * event loop turns, and what arrives is exactly what res.json sent.
 */

function appServing(value: unknown, sliceMs: number) {
  const app = express();
  app.get('/value', async (_req, res) => {
    await streamJson(res, value, sliceMs);
  });
  return app;
}

const projection = () =>
  catalogProjection(
    AccessIndex.build({ snapshot: miniSnapshot(), version: 3 }),
  );

describe('catalogProjectionSliced', () => {
  it('builds the same projection in slices, a step per record', async () => {
    const index = AccessIndex.build({ snapshot: miniSnapshot(), version: 3 });
    const work = catalogProjectionSliced(index);
    let steps = 0;
    for (let step = work.next(); !step.done; step = work.next()) steps++;
    const atOnce = runAtOnce(catalogProjectionSliced(index));
    expect(steps).toBeGreaterThanOrEqual(
      atOnce.entraUsers.length + atOnce.assignments.length,
    );
    expect(atOnce.assignments.length).toBeGreaterThan(0);
    await expect(
      runInSlices(catalogProjectionSliced(index), 0),
    ).resolves.toEqual(atOnce);
  });
});

describe('streamJson', () => {
  it('sends exactly the text res.json sends, as application/json', async () => {
    const value = {
      ...projection(),
      when: new Date('2026-12-06T12:00:00Z'),
      missing: undefined,
      holes: [1, undefined, () => 2, 'three'],
      text: 'quotes " and \\ and \u2028 and ✓',
    };
    const viaJson = express();
    viaJson.get('/value', (_req, res) => {
      res.json(value);
    });
    const streamed = await request(appServing(value, 0)).get('/value');
    const sent = await request(viaJson).get('/value');

    expect(streamed.status).toBe(200);
    expect(streamed.headers['content-type']).toBe(sent.headers['content-type']);
    expect(streamed.text).toBe(sent.text);
    expect(streamed.text).toBe(JSON.stringify(value));
    expect(streamed.body).toEqual(JSON.parse(JSON.stringify(value)));
  });

  it('gives the event loop turns while it writes a large value', async () => {
    const value = projection();
    const big = {
      ...value,
      assignments: Array.from({ length: 200 }, () => value.assignments).flat(),
    };
    const counter = turnCounter();
    const response = await request(appServing(big, 0)).get('/value');
    const turns = counter.stop();

    expect(response.text).toBe(JSON.stringify(big));
    // A slice of 0 ms: a turn after every element, many more than the request itself needs.
    expect(turns).toBeGreaterThan(big.assignments.length);
  });
});
