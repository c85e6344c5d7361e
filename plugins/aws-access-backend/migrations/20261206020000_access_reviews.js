// @ts-check

/**
 * Access reviews (governance.md §3): campaigns and their items, one per (group, direct member). An item keeps
 * its decision, who made it, what AWS showed at that moment and when a removal reached AWS: the evidence for
 * auditors, kept after the campaign closes; nothing here is pruned.
 * Timestamps are ISO 8601 text (toISOString) so SQLite and PostgreSQL store and compare them the same way.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('access_review_campaigns', table => {
    table.comment('Access review campaigns');
    table.string('id', 36).primary();
    table.string('name', 255).notNullable();
    table.string('state', 16).notNullable().comment('open | closed');
    table
      .text('scope_groups')
      .nullable()
      .comment('JSON: the group refs asked for; null: every AWS group');
    table.string('due_at', 32).notNullable();
    table
      .string('closing_policy', 16)
      .notNullable()
      .comment('keep | remove: what the due date does to undecided items');
    table.string('created_at', 32).notNullable();
    table.string('created_by', 255).notNullable().comment('user entity ref');
    table.string('created_by_name', 255).nullable();
    table.string('closed_at', 32).nullable();
    table.string('closed_reason', 16).nullable().comment('decided | due');
    table
      .integer('reminders_sent')
      .notNullable()
      .defaultTo(0)
      .comment('how many of the configured reminders went out');
    table.index(['state', 'due_at'], 'access_review_campaigns_state_due_idx');
  });

  await knex.schema.createTable('access_review_items', table => {
    table.comment('One membership (group, direct member) to attest');
    table.string('id', 36).primary();
    table
      .string('campaign_id', 36)
      .notNullable()
      .references('id')
      .inTable('access_review_campaigns')
      .onDelete('CASCADE');
    table.string('group_ref', 255).notNullable();
    table.string('group_name', 255).notNullable();
    table.string('group_id', 64).notNullable().comment('identity source id');
    table.string('member_ref', 255).notNullable().comment('user entity ref');
    table.string('member_name', 255).notNullable();
    table
      .string('member_user_id', 64)
      .notNullable()
      .comment('identity source id');
    table
      .text('reviewers')
      .notNullable()
      .comment('JSON: user and group refs; empty for the platform team');
    table
      .string('reviewer_source', 16)
      .notNullable()
      .comment('policy | group-owners | platform');
    table.string('delegated_by', 255).nullable();
    table.string('delegated_at', 32).nullable();
    table
      .string('state', 16)
      .notNullable()
      .comment('pending | kept | removing | removed');
    table.string('decision', 16).nullable().comment('keep | remove');
    table.text('note').nullable();
    table.string('decided_by', 255).nullable().comment('entity ref or system');
    table.string('decided_by_name', 255).nullable();
    table.string('decided_at', 32).nullable();
    table
      .text('access_at_decision')
      .nullable()
      .comment('JSON: what AWS showed of the membership at the decision');
    table
      .string('removal_mode', 16)
      .nullable()
      .comment('membership | pim: how the removal is written to Entra');
    table
      .string('removed_at', 32)
      .nullable()
      .comment('when AWS showed it gone');
    table.text('error').nullable().comment('the last removal failure');
    table.string('updated_at', 32).notNullable();
    table
      .boolean('undecided_at_due')
      .notNullable()
      .defaultTo(false)
      .comment('nobody decided by the due date: the closing policy did');
    table.unique(['campaign_id', 'group_ref', 'member_ref'], {
      indexName: 'access_review_items_membership_uq',
    });
    table.index(['campaign_id', 'state'], 'access_review_items_campaign_idx');
    table.index(['state'], 'access_review_items_state_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('access_review_items');
  await knex.schema.dropTable('access_review_campaigns');
};
