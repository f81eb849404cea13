// The audit trail cannot be changed (ASVS 7.3.3, 7.3.4): triggers refuse UPDATE and DELETE, every event carries the
// hash of the one before, and `supervise audit verify` finds an edited, removed or added event. Tampering is done
// through SQL, after dropping the triggers as someone with the database owner's rights could.
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { afterEach, beforeEach, describeEachDatabase, test } from '../helpers/databases.ts';
import { ADMIN, buildTestApp, Client, setUpAndSignIn, signIn, type TestApp } from '../helpers/app.ts';
import { main } from '../../src/cli/main.ts';
import { openDatabase, type Db } from '../../src/db/database.ts';
import { migrateToLatest, migrateUpTo } from '../../src/db/migrate.ts';
import { createServices } from '../../src/services/index.ts';
import { createApp } from '../../src/web/app.ts';
import { audit, auditGrouped, SYSTEM_ACTOR } from '../../src/services/audit.ts';
import { verifyAuditChain } from '../../src/services/audit-verify.ts';

function sink() {
  let text = '';
  return {
    stream: { write: (s: string) => ((text += s), true) } as unknown as NodeJS.WritableStream,
    text: () => text,
  };
}

async function verify(url: string): Promise<{ code: number; out: string; err: string }> {
  const out = sink();
  const err = sink();
  const saved = process.env['DATABASE_URL'];
  process.env['DATABASE_URL'] = url;
  try {
    const code = await main(['audit', 'verify'], { out: out.stream, err: err.stream } as never);
    return { code, out: out.text(), err: err.text() };
  } finally {
    if (saved === undefined) delete process.env['DATABASE_URL'];
    else process.env['DATABASE_URL'] = saved;
  }
}

async function dropTriggers(db: Db): Promise<void> {
  if (db.dialect === 'postgres') {
    await sql`drop trigger audit_events_no_change on audit_events`.execute(db.db);
  } else {
    await sql`drop trigger audit_events_no_update`.execute(db.db);
    await sql`drop trigger audit_events_no_delete`.execute(db.db);
  }
}

describeEachDatabase('audit trail: append-only and chained', (database) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await buildTestApp(database);
    await setUpAndSignIn(t);
    for (let i = 0; i < 5; i++) await audit(t.db.db, SYSTEM_ACTOR, t.clock.now(), 'read', 'user-list', null);
  });
  afterEach(async () => t.close());

  const ids = async () =>
    (await t.db.db.selectFrom('audit_events').select(['id', 'seq']).orderBy('seq').execute()).map((r) => ({
      id: Number(r.id),
      seq: Number(r.seq),
    }));

  test('the database refuses to change or remove an event, whoever asks', async () => {
    const [first] = await ids();
    await assert.rejects(
      sql`update audit_events set action = 'read' where id = ${first!.id}`.execute(t.db.db),
      /append-only/,
    );
    await assert.rejects(sql`delete from audit_events where id = ${first!.id}`.execute(t.db.db), /append-only/);
    await assert.rejects(sql`delete from audit_events`.execute(t.db.db), /append-only/);
    if (t.db.dialect === 'postgres') {
      await assert.rejects(sql`truncate audit_events`.execute(t.db.db), /append-only/);
    }
    const check = await verifyAuditChain(t.db.db);
    assert.ok(check.ok, JSON.stringify(check));
  });

  test('audit verify: 0 when whole; 1 naming the first edited event', async () => {
    const whole = await verify(t.url);
    assert.equal(whole.code, 0, whole.err);
    assert.match(whole.out, /The audit trail is whole: \d+ events/);

    await dropTriggers(t.db);
    const rows = await ids();
    const victim = rows[3]!;
    await sql`update audit_events set user_id = 'someone-else' where id = ${victim.id}`.execute(t.db.db);
    const edited = await verify(t.url);
    assert.equal(edited.code, 1);
    assert.match(edited.err, new RegExp(`event #${victim.seq} \\(id ${victim.id}\\) was changed after it was written`));
  });

  test('audit verify finds an event added outside the app, a removed event and a removed last event', async () => {
    await dropTriggers(t.db);
    await sql`insert into audit_events (at, action, object_type) values ('2026-11-23T09:00:00.000Z', 'read', 'user')`.execute(
      t.db.db,
    );
    const added = await verify(t.url);
    assert.equal(added.code, 1);
    assert.match(added.err, /event id \d+ has no place in the chain/);
    await sql`delete from audit_events where seq is null`.execute(t.db.db);
    assert.equal((await verify(t.url)).code, 0);

    const rows = await ids();
    const gone = rows[2]!;
    await sql`delete from audit_events where id = ${gone.id}`.execute(t.db.db);
    const gap = await verify(t.url);
    assert.equal(gap.code, 1);
    assert.match(gap.err, new RegExp(`event #${gone.seq} is missing`));

    const last = rows.at(-1)!;
    await sql`delete from audit_events where seq >= ${gone.seq}`.execute(t.db.db);
    const tail = await verify(t.url);
    assert.equal(tail.code, 1);
    assert.match(
      tail.err,
      new RegExp(
        `event #${gone.seq} is missing: the trail ends at #${gone.seq - 1} but ${last.seq} events were written`,
      ),
    );
  });

  test('audit verify finds an event re-hashed to hide an edit (it no longer follows the next one)', async () => {
    await dropTriggers(t.db);
    const rows = await ids();
    const victim = rows[1]!;
    // rewrite an event and give it a hash that matches its new content: the next event no longer follows it
    const { chainHash } = await import('../../src/audit/chain.ts');
    const r = await t.db.db
      .selectFrom('audit_events')
      .selectAll()
      .where('id', '=', victim.id)
      .executeTakeFirstOrThrow();
    const hash = chainHash(r.prev_hash, {
      seq: Number(r.seq),
      at: r.at,
      userId: 'someone-else',
      action: r.action,
      objectType: r.object_type,
      objectId: r.object_id,
      ip: r.ip,
      requestId: r.request_id,
      occurrences: Number(r.occurrences),
      lastAt: r.last_at,
      groupKey: r.group_key,
    });
    await sql`update audit_events set user_id = 'someone-else', hash = ${hash} where id = ${victim.id}`.execute(
      t.db.db,
    );
    const res = await verify(t.url);
    assert.equal(res.code, 1);
    const next = rows[2]!;
    assert.match(res.err, new RegExp(`event #${next.seq} \\(id ${next.id}\\) does not follow the event before it`));
  });

  test('audit with anything but verify is bad input: exit 2', async () => {
    const out = sink();
    const err = sink();
    assert.equal(await main(['audit'], { out: out.stream, err: err.stream } as never), 2);
    assert.equal(await main(['audit', 'check'], { out: out.stream, err: err.stream } as never), 2);
    assert.equal(await main(['audit', 'verify', '--all'], { out: out.stream, err: err.stream } as never), 2);
    assert.match(err.text(), /audit: expected 'verify', got nothing/);
    assert.match(err.text(), /audit verify: takes no arguments, got '--all'/);
  });

  test('two app instances on one database, writing to the trail at once, keep one unbroken chain', async () => {
    // PostgreSQL: a second pool of connections, as another instance would have. SQLite serves one instance only
    // (README), so there the second app shares the first one's connection.
    const second = t.db.dialect === 'postgres' ? openDatabase(t.url) : t.db;
    const other = await createApp(createServices(second, t.clock), t.config);
    try {
      const a = new Client(t.app, '10.60.0.1');
      await signIn(a, ADMIN.email, ADMIN.password);
      const b = new Client(other, '10.60.0.2');
      for (const [k, v] of a.cookies) b.cookies.set(k, v);
      const before = (await ids()).length;
      const results = await Promise.all([
        ...Array.from({ length: 25 }, () => a.get('/admin/users')),
        ...Array.from({ length: 25 }, () => b.get('/admin/users')),
        ...Array.from({ length: 10 }, (_, i) => new Client(i % 2 ? t.app : other, '10.60.0.3').get('/admin/users')),
        ...Array.from({ length: 10 }, (_, i) =>
          auditGrouped(
            i % 2 ? t.db.db : second.db,
            SYSTEM_ACTOR,
            t.clock.now(),
            'access-refused',
            'page',
            `/x${i % 3}`,
          ),
        ),
      ]);
      for (const r of results.slice(0, 50)) assert.equal((r as { statusCode: number }).statusCode, 200);
      const after = await ids();
      // 50 reads of the list, 3 groups of refusals
      assert.ok(after.length >= before + 50 + 3, `${after.length - before} events`);
      assert.deepEqual(
        after.map((r) => r.seq),
        after.map((_, i) => i + 1),
      );
      const check = await verifyAuditChain(t.db.db);
      assert.ok(check.ok, JSON.stringify(check));
    } finally {
      await other.close();
      if (second !== t.db) await second.close();
    }
  });

  test('the migration chains the events written before it, grouped ones too', async () => {
    const { url, drop, db: fresh } = await database.open();
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
      for (let i = 0; i < 3; i++) {
        await sql`insert into audit_events (at, user_id, action, object_type, object_id, ip, request_id)
          values (${`2026-11-2${i}T10:00:00.000Z`}, ${`u${i}`}, 'read', 'user', ${`u${i}`}, '10.0.0.1', ${`r${i}`})`.execute(
          d.db,
        );
      }
      await sql`insert into audit_events (at, action, object_type, object_id, ip, occurrences, last_at, group_key)
        values ('2026-11-22T11:00:00.000Z', 'sign-in-failed', 'user', null, '10.0.0.9', 12, '2026-11-22T11:05:00.000Z', 'k1')`.execute(
        d.db,
      );
      await migrateToLatest(d.db);
      const check = await verifyAuditChain(d.db);
      assert.deepEqual(check.ok && check.events, 4);
      await audit(d.db, SYSTEM_ACTOR, new Date('2026-11-23T09:00:00Z'), 'read', 'user-list', null);
      const again = await verifyAuditChain(d.db);
      assert.deepEqual(again.ok && again.events, 5);
      await assert.rejects(sql`update audit_events set occurrences = 1`.execute(d.db), /append-only/);
    } finally {
      await d.close();
      await drop();
    }
  });
});
