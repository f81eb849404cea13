// Frozen in time: never import application code here.
//
// Which children a group record has a decision about, kept beside the record, so that a child's page finds the
// decisions about them by an index instead of searching the text of every group record (the decisions themselves stay
// in the record's content, under `decision:<child id>`). Filled here from the records already written.
import type { Kysely } from 'kysely';

const DECISION_KEY = /^decision:([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('record_decisions')
    .addColumn('record_id', 'text', (c) => c.notNull().references('records.id'))
    .addColumn('child_id', 'text', (c) => c.notNull().references('children.id'))
    .addPrimaryKeyConstraint('record_decisions_pk', ['record_id', 'child_id'])
    .execute();
  await db.schema.createIndex('record_decisions_child').on('record_decisions').column('child_id').execute();

  const groups: Array<{ id: string; content: string }> = await db
    .selectFrom('records')
    .select(['id', 'content'])
    .where('kind', '=', 'group')
    .execute();
  const rows: Array<{ record_id: string; child_id: string }> = [];
  for (const g of groups) {
    for (const key of Object.keys(JSON.parse(g.content) as Record<string, unknown>)) {
      const m = DECISION_KEY.exec(key);
      if (m) rows.push({ record_id: g.id, child_id: m[1]! });
    }
  }
  const known = new Set(
    rows.length ? (await db.selectFrom('children').select('id').execute()).map((c: { id: string }) => c.id) : [],
  );
  const kept = rows.filter((r) => known.has(r.child_id));
  for (let i = 0; i < kept.length; i += 500) {
    await db
      .insertInto('record_decisions')
      .values(kept.slice(i, i + 500))
      .execute();
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('record_decisions').execute();
}
