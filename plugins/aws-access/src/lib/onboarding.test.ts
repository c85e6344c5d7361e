import { countOutcomes, orderAccounts, planCalls } from './onboarding';
import {
  applyResult,
  checkoutDev,
  createAdmin,
  createReadOnly,
  deletePowerUser,
  legacyArchive,
  onboardingPlan,
  paymentsProd,
  webProd,
} from '../__testUtils__/fixtures';

describe('orderAccounts', () => {
  it('puts non-compliant accounts first and keeps the order within each group', () => {
    const ids = orderAccounts([
      paymentsProd,
      checkoutDev,
      legacyArchive,
      webProd,
    ]).map(row => row.account.name);
    expect(ids).toEqual([
      'checkout-dev',
      'web-prod',
      'payments-prod',
      'legacy-archive',
    ]);
  });

  it('keeps only non-compliant accounts when asked', () => {
    expect(
      orderAccounts([paymentsProd, webProd], { onlyNonCompliant: true }),
    ).toEqual([webProd]);
    expect(orderAccounts([], { onlyNonCompliant: true })).toEqual([]);
  });
});

describe('planCalls', () => {
  it('lists creations before deletions, as the backend applies them', () => {
    expect(
      planCalls(
        onboardingPlan({
          create: [createReadOnly, createAdmin],
          delete: [deletePowerUser],
        }),
      ),
    ).toEqual([createReadOnly, createAdmin, deletePowerUser]);
  });
});

describe('countOutcomes', () => {
  it('counts each outcome', () => {
    expect(countOutcomes(applyResult().results)).toEqual({
      succeeded: 1,
      failed: 0,
      skipped: 1,
    });
    expect(countOutcomes([])).toEqual({ succeeded: 0, failed: 0, skipped: 0 });
  });
});
