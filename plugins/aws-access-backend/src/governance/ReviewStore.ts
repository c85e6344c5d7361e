import type { DatabaseService } from '@backstage/backend-plugin-api';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { ConflictError, NotFoundError } from '@backstage/errors';
import type {
  GovernanceMode,
  ReviewAccess,
  ReviewCampaignState,
  ReviewDecision,
  ReviewItemState,
} from '@aws-access/plugin-aws-access-common';
import type { Knex } from 'knex';
import { randomUUID } from 'node:crypto';
import type {
  CampaignRow,
  ItemRow,
  NewCampaign,
  NewReviewItem,
  StoredCampaign,
  StoredReviewItem,
} from './reviewRows';
import { newCampaignRow, newItemRow, toCampaign, toItem } from './reviewRows';

export type {
  NewCampaign,
  NewReviewItem,
  StoredCampaign,
  StoredReviewItem,
} from './reviewRows';

const migrationsDir = resolvePackagePath(
  '@aws-access/plugin-aws-access-backend',
  'migrations',
);

const CAMPAIGNS = 'access_review_campaigns';
const ITEMS = 'access_review_items';
/** Below SQLite's limit on bound variables in one statement (24 columns per item row). */
const INSERT_CHUNK = 40;
const IN_CHUNK = 500;

/** Which items `items` returns; every filter given must hold. */
export interface ItemFilter {
  campaignIds?: string[];
  ids?: string[];
  states?: ReviewItemState[];
  groupRef?: string;
  /** Items nobody decided by the due date. */
  undecidedAtDue?: boolean;
}

/** Which campaigns `campaigns` returns. */
export interface CampaignFilter {
  ids?: string[];
  state?: ReviewCampaignState;
  /** Open campaigns whose due date is before this. */
  dueBefore?: string;
  /** Closed at or after this. */
  closedFrom?: string;
}

/** A decision as the store records it. */
export interface ItemDecision {
  decision: ReviewDecision;
  note?: string;
  /** Entity ref of who decided, or `system`. */
  by: string;
  byName?: string;
  /** What AWS showed of the membership at the decision. */
  accessAtDecision: ReviewAccess[];
  /** How a removal is written (for `remove`). */
  removalMode?: GovernanceMode;
}

function isPostgres(db: Knex): boolean {
  return String(db.client.config.client).startsWith('pg');
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) {
    out.push(items.slice(i, i + size));
  }
  return out;
}

function decisionColumns(decision: ItemDecision, at: string): Partial<ItemRow> {
  return {
    state: decision.decision === 'keep' ? 'kept' : 'removing',
    decision: decision.decision,
    note: decision.note ?? null,
    decided_by: decision.by,
    decided_by_name: decision.byName ?? null,
    decided_at: at,
    access_at_decision: JSON.stringify(decision.accessAtDecision),
    removal_mode:
      decision.decision === 'remove' ? decision.removalMode ?? null : null,
    error: null,
    updated_at: at,
  };
}

/**
 * Persistence of review campaigns and their items. A decision, a delegation and the close are compare-and-sets
 * inside one transaction that locks the campaign (PostgreSQL; SQLite serialises writers), so a decision can
 * never land on a campaign that closed meanwhile, and two reviewers deciding one item both see the other.
 */
export class ReviewStore {
  readonly #db: Knex;
  readonly #now: () => Date;

  static async create(options: {
    database: DatabaseService;
    now?: () => Date;
  }): Promise<ReviewStore> {
    const client = await options.database.getClient();
    if (!options.database.migrations?.skip) {
      await client.migrate.latest({ directory: migrationsDir });
    }
    return new ReviewStore(client, options.now ?? (() => new Date()));
  }

  private constructor(db: Knex, now: () => Date) {
    this.#db = db;
    this.#now = now;
  }

  /** Stores a campaign, open, with all its items pending, in one transaction. */
  async createCampaign(
    campaign: NewCampaign,
    items: NewReviewItem[],
  ): Promise<StoredCampaign> {
    const id = randomUUID();
    const at = this.#now().toISOString();
    const row = newCampaignRow(id, campaign, at);
    await this.#db.transaction(async tx => {
      await tx<CampaignRow>(CAMPAIGNS).insert(row);
      for (const chunk of chunks(items, INSERT_CHUNK)) {
        await tx<ItemRow>(ITEMS).insert(
          chunk.map(item => newItemRow(randomUUID(), id, item, at)),
        );
      }
    });
    return toCampaign(row);
  }

  async campaign(id: string): Promise<StoredCampaign | undefined> {
    const row = await this.#db<CampaignRow>(CAMPAIGNS).where({ id }).first();
    return row ? toCampaign(row) : undefined;
  }

  /** Campaigns, newest first. */
  async campaigns(filter: CampaignFilter = {}): Promise<StoredCampaign[]> {
    const query = this.#db<CampaignRow>(CAMPAIGNS);
    if (filter.ids) query.whereIn('id', filter.ids);
    if (filter.state) query.where('state', filter.state);
    if (filter.dueBefore) {
      query.where('state', 'open').where('due_at', '<', filter.dueBefore);
    }
    if (filter.closedFrom) query.where('closed_at', '>=', filter.closedFrom);
    const rows = await query.orderBy([
      { column: 'created_at', order: 'desc' },
      { column: 'id', order: 'asc' },
    ]);
    return rows.map(toCampaign);
  }

  /** Items by group name, then member name. */
  async items(filter: ItemFilter = {}): Promise<StoredReviewItem[]> {
    const run = (campaignIds?: string[], ids?: string[]) => {
      const query = this.#db<ItemRow>(ITEMS);
      if (campaignIds) query.whereIn('campaign_id', campaignIds);
      if (ids) query.whereIn('id', ids);
      if (filter.states) query.whereIn('state', filter.states);
      if (filter.groupRef) query.where('group_ref', filter.groupRef);
      if (filter.undecidedAtDue !== undefined) {
        query.where('undecided_at_due', filter.undecidedAtDue);
      }
      return query.orderBy(['group_name', 'member_name', 'id']);
    };
    if (filter.ids) {
      const rows: ItemRow[] = [];
      for (const ids of chunks(filter.ids, IN_CHUNK)) {
        rows.push(...(await run(filter.campaignIds, ids)));
      }
      return rows.map(toItem);
    }
    return (await run(filter.campaignIds)).map(toItem);
  }

  async item(
    campaignId: string,
    itemId: string,
  ): Promise<StoredReviewItem | undefined> {
    const row = await this.#db<ItemRow>(ITEMS)
      .where({ id: itemId, campaign_id: campaignId })
      .first();
    return row ? toItem(row) : undefined;
  }

  /**
   * Records a decision on an item of an open campaign, from one of `from` (the states the caller saw). A closed
   * campaign, or an item in another state, is a `ConflictError` and nothing is written.
   */
  async decide(
    campaignId: string,
    itemId: string,
    from: ReviewItemState[],
    decision: ItemDecision,
  ): Promise<StoredReviewItem> {
    const at = this.#now().toISOString();
    return this.#inOpenCampaign(campaignId, async tx => {
      const current = await this.#lockedItem(tx, campaignId, itemId);
      if (!from.includes(current.state)) {
        throw new ConflictError(
          `Review item ${itemId} is ${current.state}; it cannot be decided now`,
        );
      }
      const columns = decisionColumns(decision, at);
      await tx<ItemRow>(ITEMS).where({ id: itemId }).update(columns);
      return toItem({ ...current, ...columns });
    });
  }

  /** Hands a pending item of an open campaign to one reviewer. */
  async delegate(
    campaignId: string,
    itemId: string,
    delegation: { to: string; by: string },
  ): Promise<StoredReviewItem> {
    const at = this.#now().toISOString();
    return this.#inOpenCampaign(campaignId, async tx => {
      const current = await this.#lockedItem(tx, campaignId, itemId);
      if (current.state !== 'pending') {
        throw new ConflictError(
          `Review item ${itemId} is ${current.state}; only a pending item can be delegated`,
        );
      }
      const columns: Partial<ItemRow> = {
        reviewers: JSON.stringify([delegation.to]),
        delegated_by: delegation.by,
        delegated_at: at,
        updated_at: at,
      };
      await tx<ItemRow>(ITEMS).where({ id: itemId }).update(columns);
      return toItem({ ...current, ...columns });
    });
  }

  /**
   * Closes an open campaign; with `reason: due`, every pending item first gets the decision `undecided` makes of
   * it (the closing policy), marked as undecided at the due date. False when the campaign was closed already.
   */
  async close(
    campaignId: string,
    reason: 'decided' | 'due',
    undecided?: (item: StoredReviewItem) => ItemDecision,
  ): Promise<boolean> {
    const at = this.#now().toISOString();
    try {
      await this.#inOpenCampaign(campaignId, async tx => {
        const pending = await tx<ItemRow>(ITEMS).where({
          campaign_id: campaignId,
          state: 'pending',
        });
        if (reason === 'decided' && pending.length > 0) {
          throw new ConflictError(
            `Campaign ${campaignId} has ${pending.length} undecided item(s)`,
          );
        }
        for (const row of pending) {
          const decision = undecided?.(toItem(row));
          if (!decision) continue;
          await tx<ItemRow>(ITEMS)
            .where({ id: row.id, state: 'pending' })
            .update({
              ...decisionColumns(decision, at),
              undecided_at_due: true,
            });
        }
        await tx<CampaignRow>(CAMPAIGNS)
          .where({ id: campaignId })
          .update({ state: 'closed', closed_at: at, closed_reason: reason });
      });
      return true;
    } catch (error) {
      if (error instanceof ConflictError) return false;
      throw error;
    }
  }

  /** `removing` → `removed` once AWS shows the access gone; false when the item had moved on. */
  async markRemoved(itemId: string): Promise<boolean> {
    const at = this.#now().toISOString();
    const updated = await this.#db<ItemRow>(ITEMS)
      .where({ id: itemId, state: 'removing' })
      .update({
        state: 'removed',
        removed_at: at,
        error: null,
        updated_at: at,
      });
    return updated === 1;
  }

  /** Records why the last removal attempt failed (null clears it); the worker tries again. */
  async recordRemovalError(itemId: string, error: string | null) {
    await this.#db<ItemRow>(ITEMS)
      .where({ id: itemId, state: 'removing' })
      .update({ error });
  }

  /** Records that reminders up to `count` went out; true for the one caller that moved it from `from`. */
  async markReminders(
    campaignId: string,
    from: number,
    count: number,
  ): Promise<boolean> {
    const updated = await this.#db<CampaignRow>(CAMPAIGNS)
      .where({ id: campaignId, reminders_sent: from, state: 'open' })
      .update({ reminders_sent: count });
    return updated === 1;
  }

  /** Runs `step` with the campaign's row locked; a campaign that is not open is a `ConflictError`. */
  async #inOpenCampaign<T>(
    campaignId: string,
    step: (tx: Knex.Transaction) => Promise<T>,
  ): Promise<T> {
    return this.#db.transaction(async tx => {
      const query = tx<CampaignRow>(CAMPAIGNS).where({ id: campaignId });
      // SQLite serialises writers on its own (and knex warns on FOR UPDATE there).
      if (isPostgres(this.#db)) query.forUpdate();
      const campaign = await query.first();
      if (!campaign)
        throw new NotFoundError(`No review campaign ${campaignId}`);
      if (campaign.state !== 'open') {
        throw new ConflictError(
          `Review campaign ${campaign.name} is closed (${campaign.closed_reason} at ${campaign.closed_at})`,
        );
      }
      return step(tx);
    });
  }

  async #lockedItem(
    tx: Knex.Transaction,
    campaignId: string,
    itemId: string,
  ): Promise<ItemRow> {
    const row = await tx<ItemRow>(ITEMS)
      .where({ id: itemId, campaign_id: campaignId })
      .first();
    if (!row) throw new NotFoundError(`No review item ${itemId}`);
    return row;
  }
}
