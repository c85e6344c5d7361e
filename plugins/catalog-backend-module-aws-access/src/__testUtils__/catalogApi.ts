import type { Entity } from '@backstage/catalog-model';
import type { Server } from 'node:http';
import request from 'supertest';

/** The kinds a test catalog allows: ours and those of the org providers next to it. */
export const CATALOG_RULES = [
  {
    allow: [
      'Component',
      'API',
      'Location',
      'Resource',
      'Group',
      'User',
      'System',
    ],
  },
];

/** The catalog REST API of a test backend, for reading back what the module emitted. */
export function catalogApi(server: Server) {
  return {
    /** Every entity that matches the filter, all pages. */
    async entities(filter: string): Promise<Entity[]> {
      const items: Entity[] = [];
      let cursor: string | undefined;
      do {
        const res = await request(server)
          .get('/api/catalog/entities/by-query')
          .query(cursor ? { cursor } : { filter, limit: 500 });
        expect(res.status).toBe(200);
        items.push(...res.body.items);
        cursor = res.body.pageInfo?.nextCursor;
      } while (cursor);
      return items;
    },
    /** One entity by ref; throws (for `eventually`) until it exists. */
    async entity(ref: string): Promise<Entity> {
      const [kind, rest] = ref.split(':');
      const res = await request(server).get(
        `/api/catalog/entities/by-name/${kind}/${rest}`,
      );
      if (res.status !== 200) {
        throw new Error(`${ref}: ${res.status}`);
      }
      return res.body;
    },
  };
}

/** The targets of an entity's relations of one type, sorted. */
export function relationTargets(entity: Entity, type: string): string[] {
  return (entity.relations ?? [])
    .filter(r => r.type === type)
    .map(r => r.targetRef)
    .sort();
}
