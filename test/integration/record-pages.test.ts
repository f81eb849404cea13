// Sessions and records in the web app, on SQLite and PostgreSQL: planning with the GOV.UK error pattern, holding,
// writing on the template, sharing, the practitioner's answer, versions, a manager's reason to read, and who gets 404.
import assert from 'node:assert/strict';
import { setUpCast } from '../helpers/cast.ts';
import { afterEach, beforeEach, describeEachDatabase, test } from '../helpers/databases.ts';
import { buildTestApp, Client, errorSummary, signIn, $, type TestApp } from '../helpers/app.ts';
import { ACCOUNT_PASSWORD } from '../helpers/factories.ts';

describeEachDatabase('session and record pages', (database) => {
  let t: TestApp;
  let tess: Client;
  let sam: Client;
  let sw: string;
  let child: string;

  const client = async (email: string) => {
    const c = new Client(t.app, `10.30.0.${email.length}`);
    await signIn(c, email, ACCOUNT_PASSWORD);
    return c;
  };

  beforeEach(async () => {
    t = await buildTestApp(database);
    ({ sw, child } = await setUpCast(t.services, { head: true }));
    tess = await client('tess@example.gov.uk');
    sam = await client('sam@example.gov.uk');
  });
  afterEach(async () => t.close());

  /** Records a held sitting through the form; returns the session page's path. */
  async function recordSession(covers: string[]): Promise<string> {
    const res = await tess.submit('/sessions/new', {
      happened: 'yes',
      'date-day': '20',
      'date-month': '11',
      'date-year': '2026',
      startTime: '10:00',
      minutes: '90',
      mode: 'in-person',
      location: 'Room 2',
      covers,
    });
    assert.equal(res.statusCode, 303, errorSummary(res.body).join('; '));
    return String(res.headers.location).split('?')[0]!;
  }

  test('planning: the form offers the supervisor’s people and children; bad input is answered field by field', async () => {
    const form = await tess.get('/sessions/new');
    const values = $(form.body)('input[name=covers]')
      .map((_, el) => $(form.body)(el).attr('value'))
      .get();
    assert.ok(values.includes(`professional:${sw}`));
    assert.ok(values.includes(`case:${child}`));
    assert.ok(values.includes(`conference-chair:${child}`), 'a child on a protection plan');
    const bad = await tess.submit('/sessions/new', {
      'date-day': '31',
      'date-month': '2',
      'date-year': '2026',
      startTime: '25:00',
      minutes: '0',
      covers: [`case:someone-else`],
    });
    assert.equal(bad.statusCode, 400);
    assert.deepEqual(errorSummary(bad.body), [
      'The date must be a real date',
      'Enter the start time as hours and minutes, like 09:30 or 14:00',
      'Enter the length in minutes, a whole number from 1 to 600',
      'Select whether the session has already happened',
      'Select what the session covers from the list',
    ]);
    assert.equal($(bad.body)('#startTime').val(), '25:00', 'input kept');
    const samForm = await sam.get('/sessions/new');
    assert.match($(samForm.body)('main').text(), /Nobody has you as their supervisor/);
  });

  test('a session recorded, its case record written, shared, confirmed; versions compared', async () => {
    const page = await recordSession([`professional:${sw}`, `case:${child}`]);
    const session = await tess.get(page);
    assert.equal(session.statusCode, 200);
    const links = $(session.body)('main table a')
      .map((_, a) => $(session.body)(a).attr('href'))
      .get();
    assert.equal(links.length, 2);
    const caseLink = $(session.body)('main table a:contains("Child C1001")').attr('href')!;
    const edit = await tess.get(`${caseLink}/edit`);
    assert.equal(edit.statusCode, 200);
    assert.ok($(edit.body)('textarea#story').length === 1, 'the anchor principles are on the form');
    const version = $(edit.body)('input[name=version]').val() as string;
    const saved = await tess.submit(
      `${caseLink}/edit`,
      { version, story: 'What the worker saw.', childVoice: 'Wants to stay.' },
      `${caseLink}/edit`,
    );
    assert.equal(saved.statusCode, 303);
    const before = await tess.get(caseLink);
    const shared = await tess.submit(
      `${caseLink}/share`,
      { version: $(before.body)('form[action$="/share"] input[name=version]').val() as string },
      caseLink,
    );
    assert.equal(shared.statusCode, 303);
    // the worker answers
    const theirs = await sam.get(caseLink);
    assert.match($(theirs.body)('#status').text(), /Shared, waiting for confirmation/);
    const noAnswer = await sam.submit(
      `${caseLink}/answer`,
      { version: $(theirs.body)('form[action$="/answer"] input[name=version]').val() as string },
      caseLink,
    );
    assert.deepEqual(errorSummary(noAnswer.body), ['Select whether the record is accurate']);
    const fresh = await sam.get(caseLink);
    const ok = await sam.submit(
      `${caseLink}/answer`,
      { version: $(fresh.body)('form[action$="/answer"] input[name=version]').val() as string, accurate: 'yes' },
      caseLink,
    );
    assert.equal(ok.statusCode, 303);
    const after = await tess.get(caseLink);
    assert.match($(after.body)('#status').text(), /Confirmed accurate/);
    assert.equal($(after.body)(`a[href="${caseLink}/edit"]`).length, 0, 'a confirmed record no longer changes');
    const versions = await sam.get(`${caseLink}/versions?from=1&to=2`);
    assert.equal(versions.statusCode, 200);
    assert.match($(versions.body)('table').text(), /What is the story\?\s*Changed/);
    // the engine sees it: recorded and shared the 23rd, for a session of the 20th
    const due = await t.services.due.forChild(child, '2026-11-23');
    assert.equal(due.obligations.find((o) => o.requirement === 'case-supervision')?.due, '2026-12-18');
  });

  test('a professional record: the colleague gets 404; the manager above states a reason the supervisee sees', async () => {
    const page = await recordSession([`professional:${sw}`]);
    const session = await tess.get(page);
    const link = $(session.body)('main table a').attr('href')!;
    const olu = await client('olu@example.gov.uk');
    assert.equal((await olu.get(link)).statusCode, 404);
    assert.equal((await olu.get(page)).statusCode, 404, 'nor the session');
    const hana = await client('hana@example.gov.uk');
    const ask = await hana.get(link);
    assert.equal(ask.statusCode, 200);
    assert.match($(ask.body)('h1').text(), /Why are you reading this record/);
    const empty = await hana.submit(link, { reason: '' });
    assert.deepEqual(errorSummary(empty.body), ['Enter why you need to read this record']);
    const read = await hana.submit(link, { reason: 'Case file audit' });
    assert.equal(read.statusCode, 200);
    assert.match($(read.body)('h1').text(), /Professional and personal supervision/);
    const seen = await sam.get(link);
    assert.match($(seen.body)('main').text(), /Hana Head, because “Case file audit”/);
  });

  test('professional notes naming a child are held back with the details listed, until confirmed', async () => {
    await t.services.children.update(
      child,
      3,
      { ref: 'C1001', name: 'Jamie Smith', dateOfBirth: null },
      { userId: null, ip: null, requestId: null },
    );
    const page = await recordSession([`professional:${sw}`]);
    const link = $((await tess.get(page)).body)('main table a').attr('href')!;
    const edit = await tess.get(`${link}/edit`);
    const version = $(edit.body)('input[name=version]').val() as string;
    const held = await tess.submit(
      `${link}/edit`,
      { version, reflection: 'Worried about Jamie Smith.' },
      `${link}/edit`,
    );
    assert.equal(held.statusCode, 400);
    assert.match(errorSummary(held.body)[0]!, /must not identify a child/);
    assert.match($(held.body)('#identifying').text(), /“Jamie Smith”: the name of a child known to Supervise/);
    assert.equal($(held.body)('textarea#reflection').text(), 'Worried about Jamie Smith.', 'the text is kept');
    const confirmed = await tess.submit(
      `${link}/edit`,
      { version, reflection: 'Worried about Jamie Smith.', confirmNotIdentifying: 'yes' },
      `${link}/edit`,
    );
    assert.equal(confirmed.statusCode, 303);
  });

  test('planning, moving and cancelling with a reason; the cancelled session is rearranged', async () => {
    const res = await tess.submit('/sessions/new', {
      happened: 'no',
      'date-day': '2',
      'date-month': '12',
      'date-year': '2026',
      covers: [`professional:${sw}`],
    });
    assert.equal(res.statusCode, 303);
    const page = String(res.headers.location).split('?')[0]!;
    const moved = await tess.submit(
      `${page}/move`,
      { version: '1', 'date-day': '3', 'date-month': '12', 'date-year': '2026', startTime: '9:30' },
      `${page}/move`,
    );
    assert.equal(moved.statusCode, 303);
    assert.match($((await tess.get(page)).body)('dl').text(), /3 December 2026 at 09:30/);
    const noReason = await tess.submit(`${page}/cancel`, { version: '2', reason: '' }, `${page}/cancel`);
    assert.deepEqual(errorSummary(noReason.body), ['Enter why the session is cancelled']);
    const cancelled = await tess.submit(
      `${page}/cancel`,
      {
        version: '2',
        reason: 'Emergency strategy meeting',
        'newdate-day': '9',
        'newdate-month': '12',
        'newdate-year': '2026',
      },
      `${page}/cancel`,
    );
    assert.equal(cancelled.statusCode, 303);
    const next = await tess.get(String(cancelled.headers.location));
    assert.match($(next.body)('.govuk-notification-banner').text(), /cancelled and rearranged/);
    assert.match($(next.body)('dl').text(), /9 December 2026/);
    assert.match($((await tess.get(page)).body)('dl').text(), /Why cancelled\s*Emergency strategy meeting/);
    assert.equal((await sam.get(`${page}/cancel`)).statusCode, 404, 'the practitioner does not manage it');
  });
});
