// Policy administration: adopting a preset or the authority's own pack from a date after checking it and previewing
// its impact; the history of versions and comparing them; closure days in working-day arithmetic.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import { after, before, describeEachDatabase, test } from '../helpers/databases.ts';
import { buildTestApp, Client, errorSummary, setUpAndSignIn, signIn, $, type TestApp } from '../helpers/app.ts';
import { ACCOUNT_PASSWORD, addAccount, addChild, addPerson, addTeam, SOCIAL_WORKER } from '../helpers/factories.ts';
import { evaluate } from '../../src/policy/index.ts';
import { caseSession, child, facts } from '../../src/policy/testkit.ts';
import { workOutImpact, type Impact } from '../../src/services/policy-impact.ts';

const GLOUCESTERSHIRE = readFileSync(
  join(import.meta.dirname, '..', '..', 'src', 'policy', 'presets', 'gloucestershire.yaml'),
  'utf8',
);
/** The set-up preset with child protection case supervision every 2 weeks instead of 4. */
const FORTNIGHTLY = GLOUCESTERSHIRE.replace(
  'label: Child protection plan\n    every: { count: 4, unit: weeks }',
  'label: Child protection plan\n    every: { count: 2, unit: weeks }',
)
  .replace('id: gloucestershire\n', 'id: anyshire\n')
  .replace('version: "2019-10"', 'version: "2026-12"');

/** Posts the adopt form as a browser does: multipart, with the page's CSRF token and an optional file. */
async function adoptForm(c: Client, fields: Record<string, string>, file?: { name: string; content: string }) {
  const page = await c.get('/policy/adopt');
  const token = $(page.body)('input[name=_csrf]').val() as string;
  const boundary = '----supervise-policy-boundary';
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries({ _csrf: token, ...fields })) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  }
  if (file) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: application/yaml\r\n\r\n`,
      ),
      Buffer.from(file.content),
      Buffer.from('\r\n'),
    );
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  const cookie = [...c.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  return c['app'].inject({
    method: 'POST',
    url: '/policy/adopt',
    headers: { cookie, 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload: Buffer.concat(parts),
    remoteAddress: c.ip,
  });
}

const dated = (name: string, iso: string) => {
  const [y, m, d] = iso.split('-');
  return { [`${name}-day`]: String(Number(d)), [`${name}-month`]: String(Number(m)), [`${name}-year`]: y! };
};

describeEachDatabase('policy administration', (database) => {
  let t: TestApp;
  let admin: Client;
  let generation: () => Promise<number>;
  before(async () => {
    t = await buildTestApp(database);
    admin = await setUpAndSignIn(t); // gloucestershire
    const team = await addTeam(t.services, 'Safeguarding', 'East');
    const worker = await addPerson(t.services, 'Sam Worker', { job: { ...SOCIAL_WORKER, teamId: team } });
    await addChild(t.services, 'C-100', 'child-protection-plan', '2026-11-20', worker);
    await addChild(t.services, 'C-200', 'child-in-need', '2026-06-01', worker);
    await t.services.obligations.drain();
    generation = async () =>
      Number(
        (await sql<{ g: number }>`select sum(generation) as g from obligation_subjects`.execute(t.services.database.db))
          .rows[0]!.g,
      );
  });
  after(async () => t.close());

  async function propose(fields: Record<string, string>, file?: { name: string; content: string }) {
    const res = await adoptForm(admin, fields, file);
    assert.equal(res.statusCode, 303, errorSummary(res.body).join('; '));
    await t.services.policyAdmin.settled();
    return String(res.headers.location);
  }

  test('a version identical to the one in force previews no change', async () => {
    const at = await propose({ source: 'preset:gloucestershire', ...dated('effective', '2026-12-01') });
    const page = await admin.get(at);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /The rules are the same/);
    assert.match(page.body, /Nothing would change for any of the 3 people and children/);
    const id = at.split('/').pop()!;
    const row = await t.services.database.db
      .selectFrom('policy_candidates')
      .select('preview_result')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    const impact = JSON.parse(row.preview_result!) as Impact;
    assert.deepEqual(impact.totals, { added: 0, removed: 0, broughtForward: 0, putBack: 0, overdue: 0 });
    assert.equal(impact.subjects, 3);
  });

  test('an uploaded pack is checked, compared rule by rule, previewed, adopted and kept in the history', async () => {
    const at = await propose(
      { source: 'upload', ...dated('effective', '2026-12-01'), ...dated('preview', '2026-12-01') },
      { name: 'anyshire.yaml', content: FORTNIGHTLY },
    );
    const page = await admin.get(at);
    const q = $(page.body);
    assert.match(page.body, /0 added, 0 removed, 1 changed/);
    const changed = q('.app-rule').text().replace(/\s+/g, ' ');
    assert.match(changed, /Child protection plan \(cp-plan\)/);
    assert.match(changed, /every\.count 4 2/);
    // the child on a plan since 20 November: due 18 December every 4 weeks, 4 December every 2 weeks
    assert.match(page.body, /Brought forward/);
    assert.match(
      q('#impact ~ ul').first().text(),
      /C-100: case supervision, due 4 December 2026 instead of 18 December 2026/,
    );
    assert.match(page.body, /East/, 'per team');

    const before = await generation();
    const adopted = await admin.submit(at, {}, at);
    assert.equal(adopted.statusCode, 303);
    assert.ok((await generation()) > before, 'every subject is marked to be worked out again');
    const done = await admin.get(at);
    assert.match(done.body, /is adopted\. It takes effect on 1 December 2026/);
    assert.doesNotMatch(done.body, /Adopt this version/);
    assert.equal(
      (await admin.submit(at, {}, at.replace(/\/[^/]+$/, ''))).statusCode,
      303,
      'a second click changes nothing',
    );
    const versions = await t.services.database.db.selectFrom('policy_versions').selectAll().execute();
    assert.equal(versions.length, 1);
    assert.equal(versions[0]!.version_label, '2026-12');

    // the engine: the old rule today, the new one from its date
    const pack = await t.services.due.pack();
    assert.deepEqual(
      pack.versions.map((v) => [v.version, v.effectiveFrom]),
      [
        ['2019-10', '2019-10-01'],
        ['2026-12', '2026-12-01'],
      ],
    );
    const kid = (
      await t.services.database.db
        .selectFrom('children')
        .select('id')
        .where('ref', '=', 'C-100')
        .executeTakeFirstOrThrow()
    ).id;
    const dueNow = await t.services.due.forChild(kid, '2026-11-23');
    const cp = dueNow.obligations.find((o) => o.requirement === 'case-supervision');
    assert.equal(cp?.due, '2026-12-04');
    assert.equal(cp?.rule, 'anyshire:4.1.2', 'named after the pack adopted, not the one in force today');

    // the Policy page: today the set-up preset; on 1 December the new version; the history with who adopted it
    const today = $((await admin.get('/policy')).body);
    assert.match(today('dl').first().text(), /2019-10/);
    const december = $((await admin.get('/policy?on-day=1&on-month=12&on-year=2026')).body);
    assert.match(december('dl').first().text(), /2026-12, in force from 1 December 2026/);
    const rows = december('#history ~ table tbody tr')
      .map((_, el) => december(el).text().replace(/\s+/g, ' ').trim())
      .get();
    assert.equal(rows.length, 2);
    assert.match(rows[0]!, /chosen at set-up/);
    assert.match(rows[1]!, /Uploaded file anyshire\.yaml/);
    assert.match(rows[1]!, /by Ada Admin/);
    assert.match(rows[1]!, /In force/);
    assert.doesNotMatch(rows[0]!, /In force/);
    const badDay = await admin.get('/policy?on-day=31&on-month=2&on-year=2026');
    assert.equal(badDay.statusCode, 400);

    // comparing the two from the history
    const link = december('a:contains("Compare with the one before")').attr('href')!;
    const compared = await admin.get(link.replace(/&amp;/g, '&'));
    assert.equal(compared.statusCode, 200);
    assert.match(compared.body, /1 changed/);
    assert.match($(compared.body)('td').text(), /every\.count/);
    assert.equal((await admin.get('/policy/compare?from=setup&to=nope')).statusCode, 400);

    const trail = await t.services.database.db
      .selectFrom('audit_events')
      .select(['action', 'object_type'])
      .where('object_type', 'in', ['policy-version', 'policy-candidate'])
      .execute();
    assert.ok(trail.some((e) => e.action === 'adopt' && e.object_type === 'policy-version'));
    assert.ok(trail.some((e) => e.action === 'check-policy'));
  });

  test('the preview is worked out in batches, and its page says how far it has got meanwhile', async () => {
    const pack = await t.services.due.pack();
    const steps: string[] = [];
    const impact = await workOutImpact(
      t.services.database.db,
      pack,
      pack,
      '2026-12-01',
      async (done, total) => {
        steps.push(`${done}/${total}`);
      },
      1,
    );
    assert.deepEqual(steps, ['1/3', '2/3', '3/3']);
    assert.equal(impact.subjects, 3);

    const at = await propose({ source: 'preset:systemic-4x4x4', ...dated('effective', '2027-03-01') });
    const id = at.split('/').pop()!;
    await t.services.database.db
      .updateTable('policy_candidates')
      .set({ preview_status: 'running', preview_done: 1, preview_total: 3, preview_result: null })
      .where('id', '=', id)
      .execute();
    const page = await admin.get(at);
    assert.match($(page.body)('[role=status]').text(), /Still working this out: 1 of 3 people and children so far/);
    assert.equal($(page.body)('a:contains("Check again")').attr('href'), `${at}#impact`);
  });

  test('bad input: an invalid pack names the path, a date in the past, an unknown preset, a missing file', async () => {
    const broken = await adoptForm(
      admin,
      { source: 'upload', ...dated('effective', '2027-01-01') },
      { name: 'broken.yaml', content: GLOUCESTERSHIRE.replace('unit: weeks', 'unit: moons') },
    );
    assert.equal(broken.statusCode, 400);
    const errors = errorSummary(broken.body);
    assert.match(errors[0]!, /^Line \d+: rules\[\d+\]\.every\.unit: .*moons/);
    assert.match($(broken.body)('#file-error').text(), /The policy pack has \d+ problems?/);

    const past = await adoptForm(admin, { source: 'preset:gloucestershire', ...dated('effective', '2026-11-22') });
    assert.equal(past.statusCode, 400);
    assert.deepEqual(errorSummary(past.body), ['The date it takes effect must be today or in the future']);

    const unknown = await adoptForm(admin, { source: 'preset:nowhere', ...dated('effective', '2027-01-01') });
    assert.equal(unknown.statusCode, 400);
    assert.deepEqual(errorSummary(unknown.body), ['Select a preset policy']);

    const none = await adoptForm(admin, { ...dated('effective', '2027-01-01') });
    assert.deepEqual(errorSummary(none.body), ['Select a preset or the authority’s own policy pack']);
    const noFile = await adoptForm(admin, { source: 'upload', 'effective-day': '1' });
    assert.equal(noFile.statusCode, 400);
    assert.deepEqual(errorSummary(noFile.body), [
      'Select the policy pack file',
      'The date it takes effect must include a month and year',
    ]);
    const csv = await adoptForm(
      admin,
      { source: 'upload', ...dated('effective', '2027-01-01') },
      { name: 'policy.csv', content: 'a,b' },
    );
    assert.deepEqual(errorSummary(csv.body), ['The selected file must be YAML (.yaml or .yml) or JSON (.json)']);
  });

  test('only administrators adopt and keep closure days; a candidate is its administrator’s own', async () => {
    await addAccount(t.services, 'Pat Practitioner', 'pat@example.gov.uk', ['practitioner']);
    const pat = new Client(t.app, '10.0.0.7');
    await signIn(pat, 'pat@example.gov.uk', ACCOUNT_PASSWORD);
    for (const path of ['/policy/adopt', '/policy/closure-days']) assert.equal((await pat.get(path)).statusCode, 403);
    assert.equal((await pat.get('/policy')).statusCode, 200);
    assert.doesNotMatch((await pat.get('/policy')).body, /Adopt a new policy version/);
    assert.equal((await pat.get('/policy/compare')).statusCode, 200);

    const at = await propose({ source: 'preset:systemic-4x4x4', ...dated('effective', '2027-02-01') });
    await addAccount(t.services, 'Bo Admin', 'bo@example.gov.uk', ['administrator']);
    const bo = new Client(t.app, '10.0.0.8');
    await signIn(bo, 'bo@example.gov.uk', ACCOUNT_PASSWORD);
    assert.equal((await bo.get(at)).statusCode, 404);
    assert.equal((await bo.submit(at, {}, '/policy/adopt')).statusCode, 404);
    assert.equal((await admin.get(at)).statusCode, 200);
  });

  test('closure days: a yearly closure moves a working-day deadline, and removing it moves it back', async () => {
    // a case supervision on Thursday 24 December 2026, to be recorded within 1 working day
    const f = facts({
      children: [child('C1', [['child-protection-plan', '2026-12-01']])],
      sessions: [caseSession('C1', '2026-12-24', { id: 'X1', recorded: null })],
    });
    const recordingDue = async () =>
      evaluate(await t.services.due.pack(), f, '2026-12-29').obligations.find((o) => o.requirement === 'recording')
        ?.due;
    assert.equal(await recordingDue(), '2026-12-29', 'after Christmas Day and the Boxing Day substitute');

    const empty = await admin.submit('/policy/closure-days', { reason: '' });
    assert.equal(empty.statusCode, 400);
    assert.deepEqual(errorSummary(empty.body), ['Enter the first day', 'Enter the reason']);
    const backwards = await admin.submit('/policy/closure-days', {
      ...dated('first', '2026-12-31'),
      ...dated('last', '2026-12-27'),
      reason: 'Christmas',
    });
    assert.deepEqual(errorSummary(backwards.body), ['The last day must be the same as or after the first day']);

    const before = await generation();
    const added = await admin.submit('/policy/closure-days', {
      ...dated('first', '2025-12-27'),
      ...dated('last', '2025-12-31'),
      yearly: 'yes',
      reason: 'Christmas closure',
    });
    assert.equal(added.statusCode, 303);
    assert.ok((await generation()) > before, 'every subject is marked to be worked out again');
    // 29 to 31 December 2026 closed, 1 January a bank holiday: Monday 4 January 2027
    assert.equal(await recordingDue(), '2027-01-04');
    const page = await admin.get('/policy/closure-days');
    assert.match($(page.body)('tbody').text(), /27 December 2025 to 31 December 2025/);
    assert.match($(page.body)('tbody').text(), /Christmas closure/);

    const remove = $(page.body)('tbody form').attr('action')!;
    assert.equal((await admin.submit(remove, {}, '/policy/closure-days')).statusCode, 303);
    assert.equal(await recordingDue(), '2026-12-29');
    assert.equal((await admin.submit(remove, {}, '/policy/closure-days')).statusCode, 404);
    const trail = await t.services.database.db
      .selectFrom('audit_events')
      .select('action')
      .where('object_type', '=', 'closure-day')
      .execute();
    assert.deepEqual(trail.map((e) => e.action).sort(), ['create', 'remove']);
  });
});
