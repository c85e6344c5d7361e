// @ts-check

/**
 * Snapshots (one row per committed, held or discarded snapshot; the data is gzipped JSON) and sync run history.
 * Timestamps are ISO 8601 text so SQLite and PostgreSQL store and compare them the same way.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('snapshots', table => {
    table.comment(
      'Access snapshots; the served one is the committed row with the highest id',
    );
    table.increments('id').comment('Also the snapshot version');
    table
      .string('status', 16)
      .notNullable()
      .comment('committed | held | approved | discarded');
    table.string('kind', 16).notNullable().comment('full | targeted');
    table.string('created_at', 32).notNullable();
    table.text('counts').notNullable().comment('JSON: entity counts');
    table
      .text('stats')
      .notNullable()
      .comment('JSON: per-source requests and timings');
    table
      .text('reasons')
      .nullable()
      .comment('JSON: why the mass-delete brake held it');
    table.integer('size_bytes').notNullable();
    table.string('checksum', 64).notNullable().comment('sha256 of data');
    table.binary('data').notNullable().comment('gzipped JSON of the snapshot');
    table.index(['status', 'id'], 'snapshots_status_id_idx');
  });

  await knex.schema.createTable('sync_runs', table => {
    table.comment('Sync run history');
    table.string('id', 36).primary();
    table
      .string('trigger', 16)
      .notNullable()
      .comment('schedule | manual | targeted | approval');
    table.string('started_at', 32).notNullable();
    table.string('finished_at', 32).nullable();
    table
      .string('outcome', 16)
      .notNullable()
      .comment('running | succeeded | failed | held | unchanged');
    table.text('error').nullable().comment('JSON: source, class, message');
    table.integer('snapshot_id').nullable();
    table.text('counts').nullable();
    table.text('requests').nullable();
    table.integer('duration_ms').nullable();
    table.index(['started_at'], 'sync_runs_started_at_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('sync_runs');
  await knex.schema.dropTable('snapshots');
};
