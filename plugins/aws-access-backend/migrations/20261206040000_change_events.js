// @ts-check

/**
 * What the change events consumer and the full reconciliation last did, for the platform board: one row per
 * writer (`consumer`, `reconcile`), each a JSON document only its writer replaces.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('change_event_status', table => {
    table.string('id', 32).primary().comment('consumer or reconcile');
    table.text('status').notNullable().comment('JSON written by that part');
    table.string('updated_at', 32).notNullable();
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('change_event_status');
};
