import { turnCounter } from '@aws-access/test-utils';
import { EventLoopSlices } from '@aws-access/plugin-aws-access-node/alpha';
import { emitOptions, linkOptions } from '../../__fixtures__/projections';
import { seedProjection } from '../../__fixtures__/seedProjection';
import { planMutation, planMutationSliced } from '../planMutation';
import { buildProjectionIndex } from './buildProjectionIndex';

/*
 * Issue 18: at 100,000 people the projection's steps take seconds of CPU in the catalog's process, so they run
 * in slices that give the event loop turns. Sliced as finely as it goes (a turn after every step), the index
 * and the mutation plan are exactly those of the work done at once.
 */

describe('buildProjectionIndex in slices', () => {
  it.each([
    ['link', linkOptions],
    ['emit', emitOptions],
  ])(
    'builds the same index (%s mode) with a turn between records',
    async (_mode, options) => {
      const projection = seedProjection();
      const atOnce = await buildProjectionIndex(
        projection,
        options,
        new EventLoopSlices(Infinity),
      );
      const slices = new EventLoopSlices(0);
      const counter = turnCounter();
      const sliced = await buildProjectionIndex(projection, options, slices);
      const otherWork = counter.stop();

      expect(sliced).toEqual(atOnce);
      const records =
        projection.accounts.length +
        projection.permissionSets.length +
        projection.entraGroups.length +
        projection.entraUsers.length +
        projection.assignments.length;
      // Every step of every record of every step of the pipeline gives a turn, and other work runs in them.
      expect(slices.turns).toBeGreaterThan(records);
      expect(otherWork).toBeGreaterThan(records);
    },
  );

  it('plans the same mutation with a turn between entities', async () => {
    const index = await buildProjectionIndex(seedProjection(), emitOptions);
    const options = {
      entities: index.entities,
      locationKey: 'aws-access-provider:test',
      records: index.entities.length,
      skipped: 0,
    };
    const first = planMutation({ ...options, previous: undefined });
    expect(first.type).toBe('full');
    const previous = new Map(
      first.type === 'full' ? [...first.state].slice(1) : [],
    );
    previous.set('resource:default/gone', 'old');

    const slices = new EventLoopSlices(0);
    const sliced = await slices.run(
      planMutationSliced({ ...options, previous }),
    );

    expect(sliced).toEqual(planMutation({ ...options, previous }));
    expect(sliced.type).toBe('delta');
    expect(slices.turns).toBeGreaterThanOrEqual(2 * index.entities.length);
  });
});
