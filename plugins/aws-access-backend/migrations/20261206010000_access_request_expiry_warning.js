// @ts-check

/**
 * The request worker warns a requester once, 10 minutes before their membership expires: when it did, kept with
 * the request so that a restart or another replica does not warn again.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('access_requests', table => {
    table
      .string('expiry_warned_at', 32)
      .nullable()
      .comment('when the requester was told the membership expires soon');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('access_requests', table => {
    table.dropColumn('expiry_warned_at');
  });
};
