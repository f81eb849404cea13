// Migrations carry existing data forward, on SQLite and PostgreSQL.
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { describeEachDatabase, test } from '../helpers/databases.ts';
import { openDatabase } from '../../src/db/database.ts';
import { migrateToLatest, migrateUpTo } from '../../src/db/migrate.ts';

describeEachDatabase('migrations', (database) => {
  test('arrangements between sign-in accounts become arrangements between staff records made from them', async () => {
    const { url, drop, db: fresh } = await database.open();
    try {
      // start again from the first migration only
      await fresh.close();
      const sqliteFile = database.name === 'sqlite';
      if (sqliteFile) {
        const { rmSync } = await import('node:fs');
        rmSync(url, { force: true });
      } else {
        const pg = (await import('pg')).default;
        const c = new pg.Client({ connectionString: url });
        await c.connect();
        await c.query('drop schema public cascade; create schema public');
        await c.end();
      }
      const d = openDatabase(url);
      try {
        await migrateUpTo(d.db, '2026-11-25T1200_initial');
        const at = '2026-01-10T10:00:00.000Z';
        await sql`insert into services (id, name, created_at) values ('s1', 'Safeguarding', ${at})`.execute(d.db);
        await sql`insert into teams (id, name, service_id, created_at) values ('t1', 'East', 's1', ${at})`.execute(
          d.db,
        );
        for (const [id, name, caseHolding, team] of [
          ['u1', 'Tess Manager', 0, null],
          ['u2', 'Sam Worker', 1, 't1'],
          ['u3', 'Ada Admin', 0, null],
        ] as const) {
          await sql`insert into users (id, name, email, password_hash, active, case_holding, team_id, created_at, updated_at)
            values (${id}, ${name}, ${`${id}@example.gov.uk`}, 'x', 1, ${caseHolding}, ${team}, ${at}, ${at})`.execute(
            d.db,
          );
        }
        await sql`insert into user_roles (user_id, role) values ('u1', 'manager'), ('u3', 'administrator')`.execute(
          d.db,
        );
        await sql`insert into supervision_relationships (id, supervisor_id, supervisee_id, from_date, to_date, created_at)
          values ('r1', 'u1', 'u2', '2025-09-01', null, ${at})`.execute(d.db);
        await migrateToLatest(d.db);

        const staff = await d.db.selectFrom('staff').select(['id', 'name', 'started']).orderBy('id').execute();
        assert.deepEqual(staff, [
          { id: 'u1', name: 'Tess Manager', started: '2025-09-01' },
          { id: 'u2', name: 'Sam Worker', started: '2025-09-01' },
        ]);
        const periods = await d.db
          .selectFrom('staff_periods')
          .select(['staff_id', 'roles', 'team_id', 'case_holding'])
          .orderBy('staff_id')
          .execute();
        assert.deepEqual(
          periods.map((p) => [p.staff_id, p.roles, p.team_id, Number(p.case_holding)]),
          [
            ['u1', 'team-manager', null, 0],
            ['u2', 'social-worker', 't1', 1],
          ],
        );
        const arrangements = await d.db
          .selectFrom('supervision_arrangements')
          .select(['id', 'supervisor_id', 'supervisee_id', 'from_date'])
          .execute();
        assert.deepEqual(arrangements, [
          { id: 'r1', supervisor_id: 'u1', supervisee_id: 'u2', from_date: '2025-09-01' },
        ]);
        const links = await d.db.selectFrom('users').select(['id', 'staff_id']).orderBy('id').execute();
        assert.deepEqual(links, [
          { id: 'u1', staff_id: 'u1' },
          { id: 'u2', staff_id: 'u2' },
          { id: 'u3', staff_id: null },
        ]);
        const teamHistory = await d.db.selectFrom('team_periods').select(['team_id', 'valid_from', 'name']).execute();
        assert.deepEqual(teamHistory, [{ team_id: 't1', valid_from: '2026-01-10', name: 'East' }]);
      } finally {
        await d.close();
      }
    } finally {
      await drop().catch(() => undefined);
    }
  });

  test('sessions open before the accounts migration each get a reference of their own, and stay signed in', async () => {
    const { url, drop, db: fresh } = await database.open();
    try {
      await fresh.close();
      if (database.name === 'sqlite') {
        const { rmSync } = await import('node:fs');
        rmSync(url, { force: true });
      } else {
        const pg = (await import('pg')).default;
        const c = new pg.Client({ connectionString: url });
        await c.connect();
        await c.query('drop schema public cascade; create schema public');
        await c.end();
      }
      const d = openDatabase(url);
      try {
        await migrateUpTo(d.db, '2026-11-29T1000_records');
        const at = '2026-11-29T10:00:00.000Z';
        await sql`insert into users (id, name, email, password_hash, active, case_holding, team_id, created_at, updated_at)
          values ('u1', 'Ada Admin', 'ada@example.gov.uk', 'x', 1, 0, null, ${at}, ${at})`.execute(d.db);
        await sql`insert into web_sessions (id_hash, user_id, created_at, last_seen_at)
          values ('h1', 'u1', ${at}, ${at}), ('h2', 'u1', ${at}, ${at})`.execute(d.db);
        await migrateToLatest(d.db);
        const rows = await d.db.selectFrom('web_sessions').select(['id_hash', 'ref', 'user_agent', 'ip']).execute();
        assert.equal(rows.length, 2, 'nobody is signed out');
        for (const r of rows) {
          assert.match(r.ref, /^[0-9a-f]{32}$/);
          assert.equal(r.user_agent, null);
          assert.equal(r.ip, null);
        }
        assert.notEqual(rows[0]!.ref, rows[1]!.ref);
        assert.equal((await d.db.selectFrom('account_links').selectAll().execute()).length, 0);
      } finally {
        await d.close();
      }
    } finally {
      await drop().catch(() => undefined);
    }
  });
});
