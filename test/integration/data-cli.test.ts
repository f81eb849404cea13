// The data commands of shared/contracts/data-cli.md, on SQLite and PostgreSQL: setup, import --facts, import --csv,
// export facts and due from the database.
import assert from 'node:assert/strict';
import { test as plainTest } from 'node:test';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describeEachDatabase, test, type TestDatabase } from '../helpers/databases.ts';
import { runDataCommand, dueFromDatabase } from '../../src/cli/data-commands.ts';
import { openDatabase } from '../../src/db/database.ts';
import { createServices } from '../../src/services/index.ts';
import { main } from '../../src/cli/main.ts';
import { evaluate, loadPreset, parseFacts, type Facts } from '../../src/policy/index.ts';
import { syntheticAuthority } from '../../src/synthetic/authority.ts';

const root = join(import.meta.dirname, '..', '..');
const contractFacts = join(root, 'test', 'fixtures', 'contract-facts.json');
const PASSWORD = 'a long and unusual passphrase';

interface Run {
  code: number;
  out: string;
  err: string;
}

function sink() {
  let text = '';
  return {
    stream: { write: (s: string) => ((text += s), true) } as unknown as NodeJS.WritableStream,
    text: () => text,
  };
}

describeEachDatabase('data commands', (database: TestDatabase) => {
  let url: string;
  let drop: () => Promise<void>;
  let dir: string;
  const extra: Array<() => Promise<void>> = [];

  beforeEach(async () => {
    const opened = await database.open();
    await opened.db.close();
    url = opened.url;
    drop = opened.drop;
    dir = mkdtempSync(join(tmpdir(), 'supervise-data-'));
  });
  afterEach(async () => {
    for (const f of extra.splice(0)) await f();
    await drop().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  });

  const env = (u = url) => ({ ...process.env, DATABASE_URL: u, LOG_LEVEL: 'silent', NODE_ENV: 'test' });
  const file = (name: string, content: string) => {
    const f = join(dir, name);
    writeFileSync(f, content);
    return f;
  };

  async function cli(args: string[], u = url): Promise<Run> {
    const out = sink();
    const err = sink();
    const io = { out: out.stream, err: err.stream };
    const [command, ...rest] = args;
    let code: number;
    if (command === 'due') code = await dueFromDatabase(rest, io, env(u)).catch((e: Error) => fail(e, err));
    else code = await runDataCommand(command as 'setup', rest, io, env(u)).catch((e: Error) => fail(e, err));
    return { code, out: out.text(), err: err.text() };
  }
  // the same mapping main() does: bad input is exit 2 with the message on stderr
  function fail(e: Error, err: { stream: NodeJS.WritableStream }): number {
    if (e.constructor.name === 'UsageError') {
      err.stream.write(`supervise: ${e.message}\n`);
      return 2;
    }
    throw e;
  }

  async function setUp(u = url): Promise<void> {
    const res = await cli(
      [
        'setup',
        '--authority',
        'Anyshire County Council',
        '--policy',
        'gloucestershire',
        '--admin-email',
        'ada@example.gov.uk',
        '--admin-password-file',
        file('pw', `${PASSWORD}\n`),
      ],
      u,
    );
    assert.equal(res.code, 0, res.err);
  }

  test('setup runs once, with the web form’s password rules; bad input exits 2 and writes nothing', async () => {
    const weak = await cli([
      'setup',
      '--authority',
      'Anyshire',
      '--policy',
      'gloucestershire',
      '--admin-email',
      'ada@example.gov.uk',
      '--admin-password-file',
      file('weak', 'password1234'),
    ]);
    assert.equal(weak.code, 2);
    assert.match(weak.err, /weak: the administrator's password is not accepted: Password is too common/);
    const preset = await cli([
      'setup',
      '--authority',
      'A',
      '--policy',
      'kent',
      '--admin-email',
      'a@b.gov.uk',
      '--admin-password-file',
      file('p', PASSWORD),
    ]);
    assert.equal(preset.code, 2);
    assert.match(preset.err, /unknown preset 'kent': expected one of gloucestershire, systemic-4x4x4/);
    const missing = await cli([
      'setup',
      '--authority',
      'A',
      '--policy',
      'gloucestershire',
      '--admin-email',
      'a@b.gov.uk',
      '--admin-password-file',
      join(dir, 'nope'),
    ]);
    assert.equal(missing.code, 2);
    assert.match(missing.err, /nope: cannot read the password file \(no such file\)/);
    await setUp();
    const again = await cli([
      'setup',
      '--authority',
      'Other',
      '--policy',
      'gloucestershire',
      '--admin-email',
      'o@b.gov.uk',
      '--admin-password-file',
      file('p2', PASSWORD),
    ]);
    assert.equal(again.code, 2);
    assert.match(again.err, /already holds an authority/);
  });

  test('import --facts: counts per kind; the same file again changes nothing; --dry-run writes nothing', async () => {
    await setUp();
    const dry = await cli(['import', '--facts', contractFacts, '--dry-run']);
    assert.equal(dry.code, 0, dry.err);
    assert.match(
      dry.out,
      /^teams: 1 new, 0 changed, 0 unchanged\nstaff: 2 new, 0 changed, 0 unchanged\nchildren: 1 new, 0 changed, 0 unchanged\nsessions: 3 new, 0 changed, 0 unchanged\n/,
    );
    const first = await cli(['import', '--facts', contractFacts]);
    assert.equal(first.out, dry.out.replace(/Dry run.*\n/, ''));
    const second = await cli(['import', '--facts', contractFacts]);
    assert.equal(
      second.out,
      'teams: 0 new, 0 changed, 1 unchanged\nstaff: 0 new, 0 changed, 2 unchanged\nchildren: 0 new, 0 changed, 1 unchanged\nsessions: 0 new, 0 changed, 3 unchanged\n',
    );
    // a later export of the case system: one change, and nothing omitted is ended
    const later = JSON.parse(readFileSync(contractFacts, 'utf8')) as Facts;
    later.on = '2026-12-01';
    later.staff[0]!.caseHolding = false;
    later.sessions = later.sessions.slice(0, 1);
    const res = await cli(['import', '--facts', file('later.json', JSON.stringify(later))]);
    assert.match(res.out, /staff: 0 new, 1 changed, 1 unchanged/);
    assert.match(res.out, /sessions: 0 new, 0 changed, 1 unchanged/);
    const exported = JSON.parse((await cli(['export', 'facts', '--on', '2026-12-01'])).out) as Facts;
    assert.equal(exported.sessions.length, 3, 'sessions the later file omits are kept');
    const sw1 = exported.staff.find((s) => s.id === 'SW1') as unknown as {
      periods: Array<{ from: string; caseHolding: boolean }>;
    };
    assert.deepEqual(
      sw1.periods.map((p) => [p.from, p.caseHolding]),
      [
        ['2024-09-02', true],
        ['2026-12-01', false],
      ],
      'the change is recorded from the file’s day',
    );
  });

  test('history in the facts (job periods, supervisors, services) is kept and given back as it came', async () => {
    await setUp();
    const doc = {
      on: '2026-11-23',
      teams: [
        { id: 'T0', name: 'Duty and Assessment', service: 'Front Door' },
        { id: 'T1', name: 'Safeguarding East', from: '2020-01-06', service: 'Safeguarding' },
      ],
      staff: [
        {
          id: 'SW1',
          name: 'Sam Worker',
          email: 'sam@example.gov.uk',
          roles: ['social-worker'],
          caseHolding: true,
          teamId: 'T1',
          supervisorId: 'TM2',
          started: '2024-09-02',
          asyeStarted: null,
          left: null,
          employment: 'employee',
          hours: 0.8,
          newToStatutoryWork: '2024-09-02',
          periods: [
            {
              from: '2024-09-02',
              to: '2025-03-31',
              roles: ['social-worker'],
              caseHolding: false,
              teamId: 'T0',
              employment: 'agency',
              hours: 1,
            },
            {
              from: '2025-04-01',
              to: null,
              roles: ['social-worker'],
              caseHolding: true,
              teamId: 'T1',
              employment: 'employee',
              hours: 0.8,
            },
          ],
          supervisors: [
            { supervisorId: 'TM1', from: '2024-09-02', to: '2025-03-31' },
            { supervisorId: 'TM2', from: '2025-04-01', to: null },
          ],
        },
        {
          id: 'TM1',
          name: 'Tess Manager',
          roles: ['team-manager'],
          caseHolding: false,
          teamId: 'T0',
          supervisorId: null,
          started: '2015-01-05',
          asyeStarted: null,
          left: null,
        },
        {
          id: 'TM2',
          name: 'Tom Manager',
          roles: ['team-manager'],
          caseHolding: false,
          teamId: 'T1',
          supervisorId: null,
          started: '2015-01-05',
          asyeStarted: null,
          left: null,
        },
      ],
      children: [],
      sessions: [],
    };
    const res = await cli(['import', '--facts', file('history.json', JSON.stringify(doc))]);
    assert.equal(res.code, 0, res.err);
    const exported = JSON.parse((await cli(['export', 'facts', '--on', '2026-11-23'])).out) as typeof doc;
    assert.deepEqual(exported.teams, doc.teams);
    assert.deepEqual(
      exported.staff.find((x) => x.id === 'SW1'),
      doc.staff[0],
    );
    const again = await cli(['import', '--facts', file('history.json', JSON.stringify(doc))]);
    assert.match(again.out, /staff: 0 new, 0 changed, 3 unchanged/);
  });

  test('a bad facts file exits 2 naming the file, path and expectation, and changes nothing', async () => {
    await setUp();
    const bad = JSON.parse(readFileSync(contractFacts, 'utf8')) as Record<string, unknown[]>;
    (bad['staff']![0] as Record<string, unknown>)['started'] = '2024-02-30';
    const res = await cli(['import', '--facts', file('bad.json', JSON.stringify(bad, null, 2))]);
    assert.equal(res.code, 2);
    assert.match(res.err, /bad\.json, line \d+: staff\[0\]\.started: expected a real calendar date/);
    const exported = JSON.parse((await cli(['export', 'facts'])).out) as Facts;
    assert.equal(exported.staff.length, 0);
    const misspelt = JSON.parse(readFileSync(contractFacts, 'utf8')) as Record<string, unknown>;
    misspelt['Staff'] = misspelt['staff'];
    delete misspelt['staff'];
    const unknown = await cli(['import', '--facts', file('misspelt.json', JSON.stringify(misspelt, null, 2))]);
    assert.equal(unknown.code, 2);
    assert.match(unknown.err, /misspelt\.json, line \d+: Staff: unknown field "Staff"/);
    assert.equal((JSON.parse((await cli(['export', 'facts'])).out) as Facts).sessions.length, 0, 'nothing written');
    const notJson = await cli(['import', '--facts', file('x.json', '{"teams": [')]);
    assert.equal(notJson.code, 2);
    assert.match(notJson.err, /is not valid JSON/);
  });

  test('import of an export into an empty database, then export, gives the same document; due agrees', async () => {
    await setUp();
    const generated = syntheticAuthority({ children: 60, staff: 20, years: 2, on: '2026-11-23', seed: 7 });
    assert.ok(parseFacts(generated, 'generated').ok);
    assert.equal((await cli(['import', '--facts', file('gen.json', JSON.stringify(generated))])).code, 0);
    const first = (await cli(['export', 'facts', '--on', '2026-11-23'])).out;

    const other = await database.open();
    await other.db.close();
    extra.push(other.drop);
    await setUp(other.url);
    assert.equal((await cli(['import', '--facts', file('first.json', first)], other.url)).code, 0);
    const second = (await cli(['export', 'facts', '--on', '2026-11-23'], other.url)).out;
    assert.deepEqual(JSON.parse(second), JSON.parse(first));

    const written = (await cli(['due', '--on', '2026-11-23', '--history', '--format', 'json'])).out;
    const fromDb = JSON.parse(written);
    const fromFile = evaluate(loadPreset('gloucestershire'), JSON.parse(first) as Facts, '2026-11-23', {
      history: true,
    });
    assert.deepEqual(fromDb, JSON.parse(JSON.stringify(fromFile)));
    // written as it is worked out, laid out as JSON.stringify would
    assert.equal(written, `${JSON.stringify(fromDb, null, 2)}\n`);
    assert.ok(fromDb.obligations.length > 100);
  });

  test('what a person’s and a child’s page are given equals the command line’s answer for them, on any day', async () => {
    await setUp();
    const generated = syntheticAuthority({ children: 40, staff: 15, years: 2, on: '2026-11-23', seed: 11 });
    assert.equal((await cli(['import', '--facts', file('gen.json', JSON.stringify(generated))])).code, 0);
    const database = openDatabase(url);
    try {
      const services = createServices(database);
      for (const on of ['2026-11-23', '2026-06-30']) {
        const all = JSON.parse((await cli(['due', '--on', on, '--format', 'json'])).out) as {
          obligations: Array<{ subject: { type: string; id: string } } & Record<string, unknown>>;
        };
        const brief = (x: object) => {
          const o = x as Record<string, unknown>;
          return [o['requirement'], o['due'], o['status'], o['rule'], o['explanation']];
        };
        const staffRef = generated.staff[3]!.id;
        const childRef = generated.children[5]!.id;
        const staffId = (
          await database.db.selectFrom('staff').select('id').where('ref', '=', staffRef).executeTakeFirstOrThrow()
        ).id;
        const childId = (
          await database.db.selectFrom('children').select('id').where('ref', '=', childRef).executeTakeFirstOrThrow()
        ).id;
        const sort = (list: unknown[][]) => list.map((x) => JSON.stringify(x)).sort();
        const pageStaff = (await services.due.forStaff(staffId, on)).obligations.map(brief);
        const cliStaff = all.obligations
          .filter((o) => o.subject.type === 'staff' && o.subject.id === staffRef)
          .map(brief);
        assert.deepEqual(sort(pageStaff), sort(cliStaff), `staff ${staffRef} on ${on}`);
        const pageChild = (await services.due.forChild(childId, on)).obligations.map(brief);
        const cliChild = all.obligations
          .filter((o) => o.subject.type === 'child' && o.subject.id === childRef)
          .map(brief);
        assert.deepEqual(sort(pageChild), sort(cliChild), `child ${childRef} on ${on}`);
        assert.ok(pageStaff.length + pageChild.length > 0, 'something to compare');
      }
    } finally {
      await database.close();
    }
  });

  test('import --csv: each kind, bad rows listed with row and column, nothing committed, same file twice unchanged', async () => {
    await setUp();
    const teams = file(
      'teams.csv',
      'id,name,service\nT1,Safeguarding East,Safeguarding\nT2,Children in Care West,Children in Care\n',
    );
    assert.equal((await cli(['import', '--csv', 'teams', teams])).out, 'teams: 2 new, 0 changed, 0 unchanged\n');
    assert.equal((await cli(['import', '--csv', 'teams', teams])).out, 'teams: 0 new, 0 changed, 2 unchanged\n');

    const badStaff = file(
      'bad-staff.csv',
      [
        'name,id,email,roles,teamId,supervisorId,caseHolding,started,asyeStarted,left,payroll',
        'Tess Manager,TM1,tess@example.gov.uk,team-manager,T1,,no,06/01/2020,,,X1',
        'Sam Worker,SW1,,social-worker;wizard,T9,TM1,maybe,2024-02-30,,,X2',
        'Sam Again,SW1,,social-worker,T1,SW1,yes,2024-09-02,,2024-01-01,X3',
      ].join('\n'),
    );
    const bad = await cli(['import', '--csv', 'staff', badStaff]);
    assert.equal(bad.code, 2);
    const lines = bad.err.split('\n').filter((l) => l.includes('bad-staff.csv:'));
    assert.deepEqual(
      lines.map((l) => l.replace(/^.*bad-staff\.csv:/, '')),
      [
        '3: roles: unknown role "wizard": expected social-worker, advanced-practitioner, team-manager, service-manager, iro, conference-chair, student, apprentice, family-support-worker, business-support, separated by ;',
        '3: teamId: no team with id "T9": import the teams file first',
        '3: caseHolding: expected yes or no, got "maybe"',
        '3: started: expected a real date written YYYY-MM-DD or DD/MM/YYYY, got "2024-02-30"',
        '4: id: "SW1" is repeated (also row 3)',
        '4: supervisorId: nobody supervises themselves',
        '4: left: expected a leaving date on or after the start, 2024-09-02, got 2024-01-01',
      ],
    );
    assert.match(bad.err, /nothing was imported/);
    const exported = JSON.parse((await cli(['export', 'facts'])).out) as Facts;
    assert.equal(exported.staff.length, 0, 'not even the good row');

    const staff = file(
      'staff.csv',
      [
        'id,name,email,roles,teamId,supervisorId,caseHolding,started,asyeStarted,left',
        'TM1,Tess Manager,tess@example.gov.uk,team-manager,T1,,no,06/01/2020,,',
        'SW1,Sam Worker,,social-worker,T1,TM1,yes,2024-09-02,,',
      ].join('\n'),
    );
    assert.equal((await cli(['import', '--csv', 'staff', staff])).out, 'staff: 2 new, 0 changed, 0 unchanged\n');
    assert.equal((await cli(['import', '--csv', 'staff', staff])).out, 'staff: 0 new, 0 changed, 2 unchanged\n');
    const children = file('children.csv', 'id\nC1001\nC1002\n');
    assert.equal(
      (await cli(['import', '--csv', 'children', children])).out,
      'children: 2 new, 0 changed, 0 unchanged\n',
    );
    const episodes = file(
      'episodes.csv',
      'childId,status,from,to\nC1001,child-protection-plan,02/03/2026,\nC1002,child-in-need,2026-01-05,\n',
    );
    assert.equal(
      (await cli(['import', '--csv', 'episodes', episodes])).out,
      'children: 0 new, 2 changed, 0 unchanged\n',
    );
    const allocations = file('allocations.csv', 'childId,workerId,from,to\nC1001,SW1,2026-03-02,\n');
    assert.equal(
      (await cli(['import', '--csv', 'allocations', allocations])).out,
      'children: 0 new, 1 changed, 0 unchanged\n',
    );
    const flags = file('flags.csv', 'childId,flag,from,to\nC1001,permanence-plan-agreed,2026-05-01,\n');
    assert.equal((await cli(['import', '--csv', 'flags', flags])).out, 'children: 0 new, 1 changed, 0 unchanged\n');
    assert.equal(
      (await cli(['import', '--csv', 'episodes', episodes])).out,
      'children: 0 new, 0 changed, 2 unchanged\n',
    );
    const badEpisodes = file(
      'bad-episodes.csv',
      'childId,status,from,to\nC9,child-in-need,2026-01-05,\nC1001,in-trouble,2026-01-05,2025-01-01\n',
    );
    const be = await cli(['import', '--csv', 'episodes', badEpisodes]);
    assert.equal(be.code, 2);
    assert.match(be.err, /bad-episodes\.csv:2: childId: no child with ID number "C9"/);
    assert.match(be.err, /bad-episodes\.csv:3: status: unknown status "in-trouble"/);
    assert.match(be.err, /bad-episodes\.csv:3: to: expected an end date on or after the start/);

    const result = JSON.parse((await cli(['export', 'facts'])).out) as Facts;
    const c1001 = result.children.find((c) => c.id === 'C1001')!;
    assert.deepEqual(c1001.allocations, [{ workerId: 'SW1', from: '2026-03-02', to: null }]);
    assert.deepEqual(c1001.flags, [{ flag: 'permanence-plan-agreed', from: '2026-05-01', to: null }]);
    assert.equal(result.staff.find((s) => s.id === 'SW1')?.supervisorId, 'TM1');
  });

  test('a header without the contract’s columns, an unknown kind and a NUL byte are refused', async () => {
    await setUp();
    const noHeader = await cli(['import', '--csv', 'teams', file('t.csv', 'id,title\nT1,East\n')]);
    assert.equal(noHeader.code, 2);
    assert.match(noHeader.err, /t\.csv:1: name, service: the header row lacks these columns/);
    const kind = await cli(['import', '--csv', 'cases', file('c.csv', 'id\n')]);
    assert.equal(kind.code, 2);
    assert.match(
      kind.err,
      /unknown kind 'cases': expected one of teams, staff, children, episodes, allocations, flags/,
    );
    const nul = await cli(['import', '--csv', 'teams', file('n.csv', 'id,name,service\nT1,East\u0000,Safeguarding\n')]);
    assert.equal(nul.code, 2);
    assert.match(nul.err, /n\.csv:2: name: contains a control character/);
  });

  test('due without an authority, and a bad --on, exit 2', async () => {
    const none = await cli(['due', '--format', 'json']);
    assert.equal(none.code, 2);
    assert.match(none.err, /holds no authority/);
    await setUp();
    const on = await cli(['due', '--on', '2026-13-01']);
    assert.equal(on.code, 2);
    assert.match(on.err, /--on: expected a real date/);
  });
});

plainTest('main() dispatches due with --facts to the file, without it to the database', async () => {
  const out = sink();
  const err = sink();
  const code = await main(['due', '--policy', 'gloucestershire', '--facts', contractFacts], {
    out: out.stream,
    err: err.stream,
  } as never);
  assert.equal(code, 0, err.text());
  assert.equal(JSON.parse(out.text()).policy.id, 'gloucestershire');
});
