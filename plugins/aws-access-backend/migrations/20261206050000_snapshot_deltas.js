// @ts-check

/**
 * A committed snapshot may be stored as a delta against an earlier committed version (`base_version`), with status
 * `delta` (earlier versions of the plugin read `committed` rows only, so they keep serving the latest whole one):
 * `data` then holds the gzipped JSON of the patch, `size_bytes` its own size, and `content_checksum` the SHA-256 of
 * the whole snapshot's JSON, checked once the patch is applied. Rows written before have no base and stay whole.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('snapshots', table => {
    table
      .integer('base_version')
      .nullable()
      .comment('The version this delta applies to; null for a whole snapshot');
    table
      .string('content_checksum', 64)
      .nullable()
      .comment(
        "sha256 of the whole snapshot's JSON text (null in rows written before deltas)",
      );
    table
      .bigInteger('content_bytes')
      .nullable()
      .comment("Length of the whole snapshot's JSON text");
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex('snapshots').where({ status: 'delta' }).delete();
  await knex.schema.alterTable('snapshots', table => {
    table.dropColumn('content_bytes');
    table.dropColumn('content_checksum');
    table.dropColumn('base_version');
  });
};
