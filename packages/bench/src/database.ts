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

/** The served snapshot as stored by SnapshotStore: the size_bytes column (gzipped JSON) and the JSON it holds. */
export async function snapshotSize(prefix: string): Promise<{
  version: number;
  gzipBytes: number;
  jsonBytes: number;
  tableBytes: number;
  stats?: Record<string, unknown>;
}> {
  return withClient(`${prefix}aws-access`, async client => {
    const { rows } = await client.query(
      `select id, size_bytes, data from snapshots where status = 'committed' order by id desc limit 1`,
    );
    if (rows.length === 0) throw new Error('no committed snapshot');
    const table = await client.query(
      `select pg_total_relation_size('snapshots') as bytes`,
    );
    const json = gunzipSync(rows[0].data);
    return {
      version: Number(rows[0].id),
      gzipBytes: Number(rows[0].size_bytes),
      jsonBytes: json.length,
      tableBytes: Number(table.rows[0].bytes),
      // The run's own request statistics per source (requests, retries, throttled), as the snapshot records them.
      stats: JSON.parse(json.toString('utf8')).stats,
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
