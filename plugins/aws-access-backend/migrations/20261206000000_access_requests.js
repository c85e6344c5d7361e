// @ts-check

/**
 * Access requests (governance.md §2): the requests, their approvals and the history of every transition. The
 * history is kept after the membership ends (the audit trail); nothing here is pruned.
 * Timestamps are ISO 8601 text (toISOString) so SQLite and PostgreSQL store and compare them the same way.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('access_requests', table => {
    table.comment('Access requests: membership of an identity-source group');
    table.string('id', 36).primary();
    table.string('requester', 255).notNullable().comment('user entity ref');
    table.string('requester_name', 255).nullable();
    table
      .string('requester_user_id', 64)
      .notNullable()
      .comment("the identity source's user id (Entra object id)");
    table.string('group_ref', 255).notNullable().comment('group entity ref');
    table.string('group_name', 255).notNullable();
    table
      .string('group_id', 64)
      .notNullable()
      .comment("the identity source's group id (Entra object id)");
    table.text('justification').nullable();
    table.string('ticket', 255).nullable();
    table.string('duration', 32).nullable().comment('ISO 8601; null: standing');
    table.string('mode', 16).notNullable().comment('membership | pim');
    table.string('state', 16).notNullable();
    table
      .string('open_key', 520)
      .nullable()
      .unique({ indexName: 'access_requests_open_key_uq' })
      .comment(
        'requester|group while the request is open, null once final: at most one open request per person and group',
      );
    table.integer('approvals_required').notNullable();
    table
      .text('approver_groups')
      .nullable()
      .comment('JSON: owner groups that must each approve (account-owners)');
    table.string('created_at', 32).notNullable();
    table.string('updated_at', 32).notNullable();
    table
      .string('decide_by', 32)
      .nullable()
      .comment('submitted requests expire after this (approvalTimeout)');
    table.string('decided_at', 32).nullable();
    table.string('granted_at', 32).nullable();
    table.string('expires_at', 32).nullable();
    table.string('revoke_requested_at', 32).nullable();
    table.string('revoked_by', 255).nullable();
    table.string('ended_at', 32).nullable();
    table.text('error').nullable();
    table.integer('attempts').notNullable().defaultTo(0);
    table.string('last_attempt_at', 32).nullable();
    table.index(['requester', 'created_at'], 'access_requests_requester_idx');
    table.index(['group_ref', 'state'], 'access_requests_group_state_idx');
    table.index(['state', 'expires_at'], 'access_requests_state_expires_idx');
    table.index(['created_at'], 'access_requests_created_at_idx');
  });

  await knex.schema.createTable('access_request_approvals', table => {
    table.comment('One row per approver of a request');
    table
      .string('request_id', 36)
      .notNullable()
      .references('id')
      .inTable('access_requests')
      .onDelete('CASCADE');
    table.string('by', 255).notNullable().comment('user entity ref');
    table.string('by_name', 255).nullable();
    table.string('at', 32).notNullable();
    table.text('note').nullable();
    table
      .text('satisfies')
      .nullable()
      .comment('JSON: the approver groups this approval counts for');
    table.primary(['request_id', 'by'], 'access_request_approvals_pk');
  });

  await knex.schema.createTable('access_request_history', table => {
    table.comment('Every transition of every request, kept for the audit');
    table.increments('id');
    table
      .string('request_id', 36)
      .notNullable()
      .references('id')
      .inTable('access_requests')
      .onDelete('CASCADE');
    table.string('at', 32).notNullable();
    table.string('by', 255).notNullable().comment('entity ref or system');
    table.string('by_name', 255).nullable();
    table.string('from_state', 16).nullable().comment('null: the submission');
    table.string('to_state', 16).notNullable();
    table.text('note').nullable();
    table.index(['request_id', 'id'], 'access_request_history_request_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('access_request_history');
  await knex.schema.dropTable('access_request_approvals');
  await knex.schema.dropTable('access_requests');
};
