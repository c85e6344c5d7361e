// @ts-check

/**
 * What a running sync is doing (phase, requests done and expected, estimate), written by the replica running it
 * at most once a second, so that every replica can answer `/sync/status` with it.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('sync_runs', table => {
    table
      .text('progress')
      .nullable()
      .comment('JSON SyncProgress while the run is running');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('sync_runs', table => {
    table.dropColumn('progress');
  });
};
