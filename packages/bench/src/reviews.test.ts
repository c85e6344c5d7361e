import { normalizeScenario } from '@aws-access/emulators';
import { benchReview, reviewPageGoal } from './reviews';
import type { ReviewPageFigures } from './reviews';
import { BENCH_TEAM, scenarioFor } from './scenarios';

describe("the reviewer's page measurement", () => {
  it("has the platform team start the campaign and the team's Entra owner review it", () => {
    const scenario = normalizeScenario(scenarioFor('small'));
    const review = benchReview('http://backend', scenario, {
      group: BENCH_TEAM,
      platformGroup: 'Platform-Team',
    });
    expect(review).toEqual({
      baseUrl: 'http://backend',
      manager: 'user:default/olu_example.com',
      reviewer: 'user:default/maria_example.com',
      group: 'group:default/bench-team-200',
    });
  });

  it('refuses a group nobody owns: its reviewer would be the platform team, not a lead', () => {
    const scenario = normalizeScenario(scenarioFor('small'));
    expect(() =>
      benchReview('http://backend', scenario, {
        group: 'Data-Team',
        platformGroup: 'Platform-Team',
      }),
    ).toThrow('Data-Team has no Entra owner to review it');
  });

  const figures: ReviewPageFigures = {
    group: 'group:default/bench-team-200',
    items: 200,
    itemsOnPage: 200,
    itemsWithAccess: 200,
    calls: [
      { route: '/reviews?role=reviewer', bytes: 1000 },
      { route: '/reviews/c1/items?reviewer=me', bytes: 300_000 },
    ],
    bytes: 301_000,
    loads: 20,
    p50Ms: 200,
    p95Ms: 300,
    maxMs: 400,
    cloudCalls: 0,
    bulkKeep: { calls: 1, kept: 200, ms: 900 },
    decidedAfter: 200,
  };

  it('meets the goal with one page load, no per-member calls and no cloud reads', () => {
    expect(reviewPageGoal(figures)[0]).toBe(true);
  });

  it('misses it with a call per member, or cloud reads per load', () => {
    const perMember = {
      ...figures,
      calls: [
        ...figures.calls,
        { route: '/users/user%3Adefault%2Fx', bytes: 10 },
      ],
    };
    expect(reviewPageGoal(perMember)[0]).toBe(false);
    expect(reviewPageGoal({ ...figures, cloudCalls: 20 })[0]).toBe(false);
  });
});
