import type { Entity } from '@backstage/catalog-model';
import { stringifyEntityRef } from '@backstage/catalog-model';
import type { DeferredEntity } from '@backstage/plugin-catalog-node';
import type { Sliced } from '@aws-access/plugin-aws-access-node/alpha';
import { runAtOnce } from '@aws-access/plugin-aws-access-node/alpha';
import { contentHash } from './sanitize';

/** What the provider emitted last: entity ref → content hash. */
export type EmittedState = ReadonlyMap<string, string>;

/** Counts of a planned mutation, for the structured log. */
export interface MutationCounts {
  /** Entities new to this provider. */
  added: number;
  /** Entities emitted before whose content changed. */
  updated: number;
  removed: number;
  unchanged: number;
}

/** The first full mutation is refused when more than this share of the records could not be mapped. */
export const MAX_SKIPPED_SHARE_FOR_FULL = 0.5;

/** What to do with one projection. */
export type MutationPlan =
  | {
      type: 'full';
      entities: DeferredEntity[];
      state: EmittedState;
      counts: MutationCounts;
    }
  | {
      type: 'delta';
      added: DeferredEntity[];
      removed: { entityRef: string; locationKey: string }[];
      state: EmittedState;
      counts: MutationCounts;
    }
  | { type: 'none'; state: EmittedState; counts: MutationCounts }
  | { type: 'refused'; reason: string };

/**
 * Plans the mutation for the entities of a new projection against what was emitted before.
 *
 * - Nothing emitted yet in this process (`previous` undefined): a `full` mutation, which reconciles whatever an
 *   earlier process left, but only when there is something to emit and at most half the records were skipped.
 * - Afterwards: a `delta` with new and changed entities added and vanished ones removed; nothing when nothing
 *   changed.
 * - Never a mutation that removes every entity emitted before.
 */
export function planMutation(options: PlanOptions): MutationPlan {
  return runAtOnce(planMutationSliced(options));
}

/** What {@link planMutation} plans from. */
export interface PlanOptions {
  previous: EmittedState | undefined;
  entities: Entity[];
  locationKey: string;
  /** Records the entities came from, and how many of them were skipped (for the first-run sanity brake). */
  records: number;
  skipped: number;
}

/** {@link planMutation}, one entity a step (each entity's content is hashed). */
export function* planMutationSliced(
  options: PlanOptions,
): Sliced<MutationPlan> {
  const { previous, entities, locationKey } = options;
  const state = new Map<string, string>();
  const deferred: DeferredEntity[] = [];
  for (const entity of entities) {
    yield;
    const ref = stringifyEntityRef(entity);
    if (state.has(ref)) {
      continue;
    }
    state.set(ref, contentHash(entity));
    deferred.push({ entity, locationKey });
  }

  if (!previous) {
    if (deferred.length === 0) {
      return {
        type: 'refused',
        reason: 'nothing to emit on the first refresh',
      };
    }
    const share = options.records > 0 ? options.skipped / options.records : 0;
    if (share > MAX_SKIPPED_SHARE_FOR_FULL) {
      return {
        type: 'refused',
        reason: `${options.skipped} of ${options.records} records could not be mapped; a full mutation could remove valid entities`,
      };
    }
    return {
      type: 'full',
      entities: deferred,
      state,
      counts: { added: deferred.length, updated: 0, removed: 0, unchanged: 0 },
    };
  }

  const added: DeferredEntity[] = [];
  let newCount = 0;
  let updated = 0;
  let unchanged = 0;
  for (const item of deferred) {
    yield;
    const ref = stringifyEntityRef(item.entity);
    const before = previous.get(ref);
    if (before === undefined) {
      newCount += 1;
      added.push(item);
    } else if (before !== state.get(ref)) {
      updated += 1;
      added.push(item);
    } else {
      unchanged += 1;
    }
  }
  const removed: { entityRef: string; locationKey: string }[] = [];
  for (const entityRef of previous.keys()) {
    yield;
    if (!state.has(entityRef)) {
      removed.push({ entityRef, locationKey });
    }
  }

  if (previous.size > 0 && removed.length === previous.size) {
    return {
      type: 'refused',
      reason: `the mutation would remove all ${previous.size} entities emitted before`,
    };
  }
  const counts = {
    added: newCount,
    updated,
    removed: removed.length,
    unchanged,
  };
  if (added.length === 0 && removed.length === 0) {
    return { type: 'none', state, counts };
  }
  return { type: 'delta', added, removed, state, counts };
}
