// `npx supervise policy adopt|versions|closure-days`: policy administration from the command line, run as the real
// command (bin/supervise.js) on SQLite and PostgreSQL, with the same checks and audit trail as the web's pages.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { parse } from 'yaml';
import { afterEach, beforeEach, describeEachDatabase, test, type TestDatabase } from '../helpers/databases.ts';
import { openDatabase } from '../../src/db/database.ts';
import { createServices } from '../../src/services/index.ts';
import { listAudit } from '../../src/repositories/audit.ts';
import { listClosures } from '../../src/repositories/closure-days.ts';
import { londonDate, systemClock } from '../../src/services/clock.ts';
import { createPolicyStore } from '../../src/services/policy-store.ts';
import { setUpAuthority } from '../helpers/factories.ts';

const root = join(import.meta.dirname, '..', '..');
const bin = join(root, 'bin', 'supervise.js');
const GLOUCESTERSHIRE = readFileSync(join(root, 'src', 'policy', 'presets', 'gloucestershire.yaml'), 'utf8');
/** The command runs on the real clock: a day safely after today, and yesterday. */
const LATER = `${Number(londonDate(new Date()).slice(0, 4)) + 1}-01-01`;
const YESTERDAY = londonDate(new Date(Date.now() - 86_400_000));

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the command as a person would, asynchronously (so a PostgreSQL test's pool is not blocked). */
function run(args: string[], env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

describeEachDatabase('command line: policy adopt, versions and closure-days', (database: TestDatabase) => {
  let url: string;
  let drop: () => Promise<void>;
  let db: ReturnType<typeof openDatabase>;
  let dir: string;
  beforeEach(async () => {
    const opened = await database.open();
    url = opened.url;
    drop = opened.drop;
    db = opened.db;
    dir = mkdtempSync(join(tmpdir(), 'supervise-policy-admin-'));
  });
  afterEach(async () => {
    rmSync(dir, { recursive: true, force: true });
    await db.close().catch(() => undefined);
    await drop();
  });

  const env = () => ({ DATABASE_URL: url, NODE_ENV: 'test', LOG_LEVEL: 'silent' });
  const file = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  const versions = async () => {
    const res = await run(['policy', 'versions', '--format', 'json'], env());
    assert.equal(res.status, 0, res.stderr);
    return JSON.parse(res.stdout) as Array<{ id: string; packName: string; version: string; effectiveFrom: string }>;
  };
  const dirtySubjects = async () =>
    Number(
      (await sql<{ n: number }>`select count(*) as n from policy_state where generation > 0`.execute(db.db)).rows[0]!.n,
    );

  test('adopts a preset from a day, lists it among the versions, audited as the web adoption is', async () => {
    await setUpAuthority(createServices(db));
    const res = await run(['policy', 'adopt', 'systemic-4x4x4', '--from', LATER], env());
    assert.equal(res.status, 0, res.stderr);
    assert.match(res.stdout, new RegExp(`^Adopted .+, in force from ${LATER} \\(version id [0-9a-f-]{36}\\)\\.\\n`));
    const list = await versions();
    assert.deepEqual(
      list.map((v) => [v.id === 'setup' ? 'setup' : 'adopted', v.effectiveFrom]),
      [
        ['setup', null],
        ['adopted', LATER],
      ],
    );
    const adopted = list[1]!;
    assert.ok(res.stdout.includes(adopted.id));
    const text = await run(['policy', 'versions'], env());
    assert.equal(text.status, 0, text.stderr);
    assert.match(text.stdout, new RegExp(`^${adopted.id}\\t.+\\tfrom ${LATER}\\tPreset systemic-4x4x4, `, 'm'));
    const audit = await listAudit(db.db);
    assert.ok(
      audit.some(
        (e) =>
          e.action === 'adopt' &&
          e.objectType === 'policy-version' &&
          e.objectId === adopted.id &&
          e.requestId === 'command-line',
      ),
    );
    assert.equal(await dirtySubjects(), 1, 'the policy moved on: every instance reloads it');
  });

  test("adopts the authority's own pack file, YAML or JSON, named by its file", async () => {
    await setUpAuthority(createServices(db));
    const yaml = file(
      'anyshire.yaml',
      GLOUCESTERSHIRE.replace('id: gloucestershire\n', 'id: anyshire\n').replace(
        'version: "2019-10"',
        'version: "2027-01"',
      ),
    );
    const res = await run(['policy', 'adopt', yaml, '--from', LATER], env());
    assert.equal(res.status, 0, res.stderr);
    assert.match(res.stdout, /2027-01, in force from/);
    const list = await versions();
    assert.equal(list.length, 2);
    assert.equal(list[1]!.version, '2027-01');
    const json = file('anyshire.json', JSON.stringify(parse(readFileSync(yaml, 'utf8'))));
    const again = await run(['policy', 'adopt', json, '--from', `${LATER.slice(0, 4)}-02-01`], env());
    assert.equal(again.status, 0, again.stderr);
    assert.equal((await versions()).length, 3);
    const text = await run(['policy', 'versions'], env());
    assert.match(text.stdout, /Uploaded file anyshire\.yaml/);
    assert.match(text.stdout, /Uploaded file anyshire\.json/);
  });

  test('a bad pack is refused with each problem by line and path, and nothing is adopted', async () => {
    await setUpAuthority(createServices(db));
    const bad = file(
      'bad.yaml',
      GLOUCESTERSHIRE.replace('every: { count: 4, unit: weeks }', 'every: { count: 4, unit: fortnights }'),
    );
    const line = GLOUCESTERSHIRE.split('\n').findIndex((l) => l.includes('every: { count: 4, unit: weeks }')) + 1;
    const res = await run(['policy', 'adopt', bad, '--from', LATER], env());
    assert.equal(res.status, 2, res.stdout);
    assert.match(res.stderr, /the policy pack has 1 problem; nothing was adopted/);
    assert.match(res.stderr, new RegExp(`bad\\.yaml, line ${line}: rules\\[0\\]\\.every\\.unit: `));
    assert.equal((await versions()).length, 1);
    assert.ok(!(await listAudit(db.db)).some((e) => e.action === 'adopt'));
  });

  test('bad input exits 2 with a message and changes nothing', async () => {
    await setUpAuthority(createServices(db));
    const cases: Array<[string[], RegExp]> = [
      [['policy', 'adopt', 'systemic-4x4x4', '--from', YESTERDAY], /--from: must be today \(.+\) or in the future/],
      [['policy', 'adopt', 'systemic-4x4x4'], /--from YYYY-MM-DD .* is required/],
      [['policy', 'adopt', 'systemic-4x4x4', '--from', '2027-02-30'], /--from: expected a real date/],
      [['policy', 'adopt', 'anyshire', '--from', LATER], /unknown preset 'anyshire'/],
      [['policy', 'adopt', file('pack.txt', 'x'), '--from', LATER], /expected a YAML .* or JSON .* policy pack file/],
      [['policy', 'adopt', join(dir, 'missing.yaml'), '--from', LATER], /cannot read the policy file \(no such file\)/],
      [['policy', 'closure-days', 'add', '--reason', 'Closed'], /--first YYYY-MM-DD is required/],
      [['policy', 'closure-days', 'add', '--first', LATER], /--reason TEXT is required/],
      [
        ['policy', 'closure-days', 'add', '--first', '2027-12-31', '--last', '2027-12-27', '--reason', 'Closed'],
        /The last day must be the same as or after the first day; nothing was added/,
      ],
      [
        ['policy', 'closure-days', 'add', '--first', '2027-01-01', '--last', '2027-03-01', '--reason', 'Closed'],
        /The closure must be 31 days or fewer/,
      ],
      [['policy', 'closure-days', 'add', '--first', LATER, '--reason', 'x'.repeat(101)], /100 characters or fewer/],
      [['policy', 'closure-days', 'remove', 'no-such-id'], /no closure has the id 'no-such-id'/],
      [['policy', 'closure-days', 'shut'], /unknown command 'shut'/],
      [['policy', 'versions', '--format', 'xml'], /--format: expected 'text' or 'json'/],
    ];
    for (const [args, message] of cases) {
      const res = await run(args, env());
      assert.equal(res.status, 2, `${args.join(' ')}: ${res.stdout}${res.stderr}`);
      assert.match(res.stderr, message, args.join(' '));
    }
    assert.equal((await versions()).length, 1);
    assert.deepEqual(await listClosures(db.db), []);
    assert.equal(await dirtySubjects(), 0);
  });

  test('closure days: a single day, a span and a yearly span are added, listed and removed, audited', async () => {
    await setUpAuthority(createServices(db));
    const add = async (...args: string[]) => {
      const res = await run(['policy', 'closure-days', 'add', ...args], env());
      assert.equal(res.status, 0, res.stderr);
      return /\(id ([0-9a-f-]{36})\)/.exec(res.stdout)![1]!;
    };
    const one = await add('--first', '2027-06-04', '--reason', 'Staff training day');
    const span = await add('--first', '2027-08-02', '--last', '2027-08-04', '--reason', 'Office move');
    const yearly = await add('--first', '2026-12-29', '--last', '2026-12-31', '--yearly', '--reason', 'Winter closure');
    const listed = await run(['policy', 'closure-days'], env());
    assert.equal(listed.status, 0, listed.stderr);
    assert.equal(
      listed.stdout,
      [
        `${yearly}\t2026-12-29 to 2026-12-31, every year\tWinter closure`,
        `${one}\t2027-06-04\tStaff training day`,
        `${span}\t2027-08-02 to 2027-08-04\tOffice move`,
        '',
      ].join('\n'),
    );
    const json = await run(['policy', 'closure-days', 'list', '--format', 'json'], env());
    assert.deepEqual(
      (JSON.parse(json.stdout) as Array<{ id: string; yearly: boolean }>).map((c) => [c.id, c.yearly]),
      [
        [yearly, true],
        [one, false],
        [span, false],
      ],
    );
    const removed = await run(['policy', 'closure-days', 'remove', span], env());
    assert.equal(removed.status, 0, removed.stderr);
    assert.deepEqual(
      (await listClosures(db.db)).map((c) => c.id),
      [yearly, one],
    );
    // the authority's policy now has them as non-working days (yearly ones written out every year)
    const services = createServices(db);
    const pack = await createPolicyStore(db.db, services.setup, systemClock).pack();
    const days = new Set(pack.versions.flatMap((v) => v.closureDays.map((c) => c.date)));
    for (const d of ['2027-06-04', '2027-12-29', '2028-12-31']) assert.ok(days.has(d), d);
    assert.ok(!days.has('2027-08-03'), 'removed');
    const audit = await listAudit(db.db);
    const acts = (id: string) =>
      audit.filter((e) => e.objectType === 'closure-day' && e.objectId === id && e.requestId === 'command-line');
    assert.deepEqual(
      acts(span).map((e) => e.action),
      ['remove', 'create'],
    );
    assert.deepEqual(
      acts(one).map((e) => e.action),
      ['create'],
    );
  });

  test('without an authority set up, the commands say to run set-up first', async () => {
    const res = await run(['policy', 'closure-days'], env());
    assert.equal(res.status, 2);
    assert.match(res.stderr, /no authority: run `supervise setup`/);
  });
});
