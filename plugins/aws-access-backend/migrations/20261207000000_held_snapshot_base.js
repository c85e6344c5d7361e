// @ts-check

/**
 * A held snapshot records the committed version its run read on top of (`based_on`): targeted refreshes keep
 * committing while it waits, and its approval keeps what they read since that version (keepNewerReads.ts). The
 * version is kept from pruning while the snapshot is held. Rows held before have none.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('snapshots', table => {
    table
      .integer('based_on')
      .nullable()
      .comment(
        'The committed version a held snapshot was read on top of; null for other rows',
      );
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('snapshots', table => {
    table.dropColumn('based_on');
  });
};
