import { Client } from 'pg';
import { gunzipSync } from 'node:zlib';

const connection = { host: '127.0.0.1', port: 5432, user: 'postgres' };

async function withClient<T>(
  database: string,
  fn: (client: Client) => Promise<T>,
): Promise<T> {
  const client = new Client({ ...connection, database });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export async function postgresReachable(): Promise<boolean> {
  try {
    await withClient('postgres', c => c.query('select 1'));
    return true;
  } catch {
    return false;
  }
}

/**
 * The served snapshot as stored by SnapshotStore. A version is stored whole (gzipped JSON) or as a delta on an earlier
 * version (its patch, gzipped; `base_version` names the base): `writtenBytes` is what the commit wrote (the row's
 * `size_bytes`), `gzipBytes` the full snapshot's gzipped size (the row itself when whole, else the whole row its
 * chain of deltas starts from: an earlier version of the same organisation), `jsonBytes` the full snapshot's JSON.
 */
export async function snapshotSize(prefix: string): Promise<{
  version: number;
  gzipBytes: number;
  jsonBytes: number;
  writtenBytes: number;
  baseVersion?: number;
  wholeVersion: number;
  tableBytes: number;
  stats?: Record<string, unknown>;
}> {
  return withClient(`${prefix}aws-access`, async client => {
    const { rows } = await client.query(
      `select * from snapshots where status in ('committed', 'delta') order by id desc limit 1`,
    );
    if (rows.length === 0) throw new Error('no committed snapshot');
    const [row] = rows;
    let whole = row;
    while (whole.base_version !== null && whole.base_version !== undefined) {
      const base = await client.query(
        `select id, base_version, size_bytes, data from snapshots where id = $1`,
        [whole.base_version],
      );
      if (base.rows.length === 0)
        throw new Error(
          `snapshot ${whole.id} is a delta on ${whole.base_version}, which is missing`,
        );
      whole = base.rows[0];
    }
    const table = await client.query(
      `select pg_total_relation_size('snapshots') as bytes`,
    );
    // Rows written before deltas have no content_bytes: a whole row's JSON is its data.
    const jsonBytes =
      row.content_bytes !== null && row.content_bytes !== undefined
        ? Number(row.content_bytes)
        : gunzipSync(row.data).length;
    return {
      version: Number(row.id),
      gzipBytes: Number(whole.size_bytes),
      jsonBytes,
      writtenBytes: Number(row.size_bytes),
      ...(row.base_version !== null &&
        row.base_version !== undefined && {
          baseVersion: Number(row.base_version),
        }),
      wholeVersion: Number(whole.id),
      tableBytes: Number(table.rows[0].bytes),
      // The run's own request statistics per source (requests, retries, throttled), as the snapshot records them.
      stats: JSON.parse(row.stats),
    };
  });
}

/** Size of the catalog's tables (final_entities and search): what the same organisation costs the catalog. */
export async function catalogSize(
  prefix: string,
): Promise<{ finalEntitiesBytes: number; totalBytes: number }> {
  return withClient(`${prefix}catalog`, async client => {
    const { rows } = await client.query(
      `select pg_total_relation_size('final_entities') as fe, pg_database_size(current_database()) as total`,
    );
    return {
      finalEntitiesBytes: Number(rows[0].fe),
      totalBytes: Number(rows[0].total),
    };
  });
}

/** Drops the databases a bench run created (every plugin's, by prefix). */
export async function dropDatabases(prefix: string): Promise<string[]> {
  return withClient('postgres', async client => {
    const { rows } = await client.query(
      `select datname from pg_database where datname like $1`,
      [`${prefix}%`],
    );
    const dropped: string[] = [];
    for (const { datname } of rows) {
      await client.query(`drop database if exists "${datname}" with (force)`);
      dropped.push(datname);
    }
    return dropped;
  });
}
