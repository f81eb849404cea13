// Actions, group decisions, the child's chronology and very long records in the web app, on SQLite and PostgreSQL:
// the GOV.UK error pattern on each form, actions brought forward and reviewed in the next session, overdue actions on
// the record and on each party's list, and who gets 404 (by direct URL) or sees nothing (in lists and the chronology).
import assert from 'node:assert/strict';
import { setUpCast } from '../helpers/cast.ts';
import { afterEach, beforeEach, describeEachDatabase, test } from '../helpers/databases.ts';
import { buildTestApp, Client, errorSummary, signIn, $, type TestApp } from '../helpers/app.ts';
import { ACCOUNT_PASSWORD, SEED, addChild } from '../helpers/factories.ts';
import { listAudit } from '../../src/repositories/audit.ts';
import type { RecordKind } from '../../src/records/templates.ts';

describeEachDatabase('action, decision and chronology pages', (database) => {
  let t: TestApp;
  let tess: Client;
  let sam: Client;
  let olu: Client;
  let tm: string;
  let sw: string;
  let team: string;
  let child: string;

  const client = async (email: string) => {
    const c = new Client(t.app, `10.31.0.${email.length}`);
    await signIn(c, email, ACCOUNT_PASSWORD);
    return c;
  };
  const tessViewer = () => ({ userId: 'tess', roles: ['manager' as const], staffId: tm });

  beforeEach(async () => {
    t = await buildTestApp(database);
    ({ tm, sw, child, team } = await setUpCast(t.services, { team: true }));
    tess = await client('tess@example.gov.uk');
    sam = await client('sam@example.gov.uk');
    olu = await client('olu@example.gov.uk');
  });
  afterEach(async () => t.close());

  /** A held sitting between Tess and Sam on a day; returns the path of its one record. */
  async function recordOn(date: string, kind: RecordKind, subjectId: string): Promise<string> {
    const s = await t.services.sittings.recordHeld(
      tessViewer(),
      {
        date,
        startTime: null,
        minutes: 60,
        mode: null,
        location: null,
        supervisorId: tm,
        superviseeIds: [sw],
        covers: [{ kind, subjectId }],
      },
      SEED,
    );
    assert.ok(s.ok, s.ok ? '' : s.message);
    return `/records/${(await t.services.sittings.view(tessViewer(), s.id, SEED))!.records[0]!.id}`;
  }

  /** Adds an action through the form; returns the action's path. */
  async function addAction(record: string, fields: Record<string, string>): Promise<string> {
    const res = await tess.submit(`${record}/actions/new`, fields);
    assert.equal(res.statusCode, 303, errorSummary(res.body).join('; '));
    const page = await tess.get(record);
    const href = $(page.body)(`#actions ~ table a:contains("${fields['what']}")`).attr('href');
    assert.ok(href, 'the action is listed on the record');
    return href.split('?')[0]!;
  }

  test('adding an action: each bad answer is named, the text kept whole; added, it is on the record for both', async () => {
    const record = await recordOn('2026-11-10', 'case', child);
    const form = await tess.get(`${record}/actions/new`);
    assert.equal(form.statusCode, 200);
    assert.deepEqual(
      $(form.body)('input[name=ownerId]')
        .map((_, el) => $(form.body)(el).next('label').text().trim())
        .get(),
      ['Tess Manager (supervisor)', 'Sam Worker'],
    );
    const long = 'a'.repeat(100_000);
    const bad = await tess.submit(`${record}/actions/new`, {
      what: long,
      'due-day': '31',
      'due-month': '2',
      'due-year': '2026',
    });
    assert.equal(bad.statusCode, 400);
    assert.deepEqual(errorSummary(bad.body), [
      'What is to be done must be 2,000 characters or fewer',
      'Select who will do it',
      'The date it is due by must be a real date',
    ]);
    assert.equal($(bad.body)('textarea#what').text(), long, 'the 100,000 characters are kept whole in the form');
    assert.equal($(bad.body)('.govuk-error-summary a').first().attr('href'), '#what');
    assert.equal($(bad.body)('.govuk-error-summary a').eq(1).attr('href'), '#ownerId');
    assert.equal($(bad.body)('#ownerId').length, 1, 'the link focuses a real element');
    const early = await tess.submit(`${record}/actions/new`, {
      what: 'Visit the school',
      ownerId: sw,
      'due-day': '1',
      'due-month': '11',
      'due-year': '2026',
    });
    assert.deepEqual(errorSummary(early.body), ['The date it is due by must be on or after the session']);
    const action = await addAction(record, {
      what: 'Visit the school',
      ownerId: sw,
      'due-day': '20',
      'due-month': '11',
      'due-year': '2026',
    });
    const samsView = await sam.get(record);
    assert.match(
      $(samsView.body)('#actions ~ table').first().text(),
      /Visit the school\s*Sam Worker\s*20 November 2026/,
    );
    assert.match($(samsView.body)('.govuk-warning-text').text(), /1 action is past its date and not done/);
    assert.equal($(samsView.body)(`a[href="${record}/actions/new"]`).length, 0, 'only the supervisor adds actions');
    assert.equal((await sam.get(`${record}/actions/new`)).statusCode, 404);
    assert.equal((await olu.get(record)).statusCode, 404, 'the record: not Olu’s to see');
    assert.equal((await olu.get(action)).statusCode, 404, 'nor its action by direct URL');
    const sneaked = await olu.submit(action, { version: '1', progress: 'Done it' }, '/sessions');
    assert.equal(sneaked.statusCode, 404);
    assert.equal((await olu.get(`${record}/actions/new`)).statusCode, 404);
    const audited = (await listAudit(t.db.db, 1000)).filter((a) => a.objectType === 'action').map((a) => a.action);
    assert.ok(audited.includes('create'));
  });

  test('open actions come forward to the next session between the same people, and are reviewed there', async () => {
    const first = await recordOn('2026-10-20', 'professional', sw);
    const action = await addAction(first, {
      what: 'Read the neglect toolkit',
      ownerId: sw,
      'due-day': '30',
      'due-month': '11',
      'due-year': '2026',
    });
    const next = await recordOn('2026-11-17', 'professional', sw);
    const page = await sam.get(next);
    const link = $(page.body)('table:contains("Actions from earlier sessions") a').attr('href');
    assert.equal(link, `${action}?record=${next.slice('/records/'.length)}`);
    const form = await sam.get(link);
    assert.match($(form.body)('dl').text(), /Reviewed in\s*the session of 17 November 2026/);
    const empty = await sam.submit(action, { version: '1', record: next.slice(9), progress: '  ' }, link);
    assert.equal(empty.statusCode, 400);
    assert.deepEqual(errorSummary(empty.body), ['Enter the progress made']);
    assert.equal($(empty.body)('.govuk-error-summary a').attr('href'), '#progress');
    const tooLong = await sam.submit(
      action,
      { version: '1', record: next.slice(9), progress: 'p'.repeat(100_000) },
      link,
    );
    assert.deepEqual(errorSummary(tooLong.body), ['Progress must be 5,000 characters or fewer']);
    assert.equal($(tooLong.body)('textarea#progress').text().length, 100_000, 'kept whole');
    const stale = await sam.submit(action, { version: '9', record: next.slice(9), progress: 'Half way' }, link);
    assert.match(errorSummary(stale.body)[0]!, /Someone else changed this record/);
    const done = await sam.submit(
      action,
      { version: '1', record: next.slice(9), progress: 'Read it all', done: 'yes' },
      link,
    );
    assert.equal(done.statusCode, 303);
    assert.equal(String(done.headers.location), `${next}?done=progress#actions`);
    const after = await tess.get(next);
    assert.match(
      $(after.body)('table:contains("Actions from earlier sessions")').text(),
      /Read the neglect toolkit[\s\S]*Done[\s\S]*Read it all/,
    );
    const shown = await tess.get(action);
    assert.match($(shown.body)('main').text(), /Sam Worker, marked done:\s*Read it all/);
    assert.equal($(shown.body)('textarea#progress').length, 0, 'a done action takes no more progress');
    const later = await recordOn('2026-11-20', 'professional', sw);
    assert.equal(
      $((await tess.get(later)).body)('table:contains("Actions from earlier sessions")').length,
      0,
      'done, it comes forward no more',
    );
  });

  test('My actions: overdue first, for the supervisor and the person supervised, and nothing for anyone else', async () => {
    const record = await recordOn('2026-11-02', 'case', child);
    await addAction(record, {
      what: 'Send the chronology to the IRO',
      ownerId: sw,
      'due-day': '21',
      'due-month': '11',
      'due-year': '2026',
    });
    await addAction(record, { what: 'Book the core group', ownerId: tm });
    for (const who of [sam, tess]) {
      const list = await who.get('/sessions');
      assert.match($(list.body)('main').text(), /My actions: 1 overdue/);
      const mine = await who.get('/actions');
      assert.equal(mine.statusCode, 200);
      const captions = $(mine.body)('caption')
        .map((_, c) => $(mine.body)(c).text().trim())
        .get();
      assert.deepEqual(captions, ['Overdue', 'Open']);
      assert.match($(mine.body)('table').first().text(), /Send the chronology to the IRO/);
      assert.match($(mine.body)('table').eq(1).text(), /Book the core group\s*Tess Manager\s*No date/);
    }
    const olus = await olu.get('/actions');
    assert.match($(olus.body)('main').text(), /You have no open actions/);
    assert.doesNotMatch(olus.body, /Send the chronology/);
  });

  test('a group’s decision about a child goes onto the child’s chronology, seen only by those who see the child', async () => {
    const s = await t.services.sittings.recordHeld(
      tessViewer(),
      {
        date: '2026-11-12',
        startTime: null,
        minutes: 90,
        mode: null,
        location: null,
        supervisorId: tm,
        superviseeIds: [sw],
        covers: [{ kind: 'group', subjectId: team }],
      },
      SEED,
    );
    assert.ok(s.ok);
    const group = `/records/${(await t.services.sittings.view(tessViewer(), s.id, SEED))!.records[0]!.id}`;
    const edit = await tess.get(`${group}/edit`);
    assert.equal($(edit.body)('#newChildRef').length, 1);
    const version = $(edit.body)('input[name=version]').val() as string;
    const unknown = await tess.submit(
      `${group}/edit`,
      { version, focus: 'Neglect', newChildRef: 'C9999', newDecision: 'Refer on' },
      `${group}/edit`,
    );
    assert.deepEqual(errorSummary(unknown.body), [
      'No child with ID number C9999 is allocated to anyone in the session',
    ]);
    assert.equal($(unknown.body)('#newDecision').text(), 'Refer on', 'kept');
    await addChild(t.services, 'C3003', 'child-in-need', '2026-10-01'); // a child nobody in the session holds
    const notAllocated = await tess.submit(
      `${group}/edit`,
      { version, focus: 'Neglect', newChildRef: 'C3003', newDecision: 'Refer on' },
      `${group}/edit`,
    );
    assert.deepEqual(errorSummary(notAllocated.body), [
      'No child with ID number C3003 is allocated to anyone in the session',
    ]);
    const saved = await tess.submit(
      `${group}/edit`,
      { version, focus: 'Neglect', newChildRef: 'C1001', newDecision: 'Hold a family group conference' },
      `${group}/edit`,
    );
    assert.equal(saved.statusCode, 303, errorSummary(saved.body).join('; '));
    const shown = await tess.get(group);
    assert.match(
      $(shown.body)('main').text(),
      /Decisions about each child discussed[\s\S]*Child C1001\s*Hold a family/,
    );
    const again = await tess.get(`${group}/edit`);
    assert.equal($(again.body)(`textarea[name="decision:${child}"]`).text(), 'Hold a family group conference');

    const caseRecord = await recordOn('2026-11-05', 'case', child);
    const caseEdit = await tess.get(`${caseRecord}/edit`);
    await tess.submit(
      `${caseRecord}/edit`,
      {
        version: $(caseEdit.body)('input[name=version]').val() as string,
        story: 'Jo told me about school.',
        workload: 'Fine',
      },
      `${caseRecord}/edit`,
    );
    const childPage = await sam.get(`/children/${child}`);
    const link = $(childPage.body)('a:contains("Chronology")').attr('href');
    assert.equal(link, `/children/${child}/chronology`);
    const chron = await sam.get(link);
    assert.equal(chron.statusCode, 200);
    const entries = $(chron.body)('.app-chronology__entry')
      .map((_, e) => $(chron.body)(e).text().replace(/\s+/g, ' ').trim())
      .get();
    assert.equal(entries.length, 2);
    assert.match(
      entries[0]!,
      /^5 November 2026: Child’s case supervision .*What is the story\? Jo told me about school\./,
    );
    assert.doesNotMatch(entries[0]!, /Fine/, 'the key headings only');
    assert.match(
      entries[1]!,
      /^12 November 2026: Group reflective supervision: decision .*Hold a family group conference/,
    );
    assert.doesNotMatch(entries[1]!, /Neglect/, 'not the rest of the group’s record');
    assert.equal((await olu.get(link)).statusCode, 404, 'not for someone who may not see the child');
    assert.equal((await olu.get('/children/00000000-0000-4000-8000-000000000000/chronology')).statusCode, 404);
    const audited = (await listAudit(t.db.db, 1000)).filter(
      (a) => a.objectType === 'child-chronology' && a.objectId === child,
    );
    assert.equal(audited.length, 1, 'the read is audited; the refused one reads nothing');
    const css = await sam.get('/public/app.css');
    assert.match(css.body, /@media print\{[^}]*\.govuk-header/, 'printed without the navigation');
  });

  test('a 100,000-character record is kept whole; one character more is refused with the limit, never cut', async () => {
    const record = await recordOn('2026-11-10', 'case', child);
    const edit = async () => $((await tess.get(`${record}/edit`)).body)('input[name=version]').val() as string;
    const whole = '🦓'.repeat(50_000) + 'é'.repeat(50_000); // 100,000 characters, 400,000 bytes
    const saved = await tess.submit(`${record}/edit`, { version: await edit(), story: whole }, `${record}/edit`);
    assert.equal(saved.statusCode, 303, errorSummary(saved.body).join('; '));
    const kept = await t.services.records.find(record.slice('/records/'.length));
    assert.equal(kept!.content['story'], whole, 'kept whole');
    const page = await tess.get(record);
    assert.equal($(page.body)('p.app-pre').first().text(), whole, 'shown whole');
    const over = whole + 'x';
    const refused = await tess.submit(`${record}/edit`, { version: await edit(), story: over }, `${record}/edit`);
    assert.equal(refused.statusCode, 400);
    assert.deepEqual(errorSummary(refused.body), ['What is the story? must be 100,000 characters or fewer']);
    assert.equal($(refused.body)('textarea#story').text(), over, 'the text is given back whole to shorten');
    assert.equal((await t.services.records.find(record.slice(9)))!.content['story'], whole, 'nothing changed');
    // more than a form can carry: every heading full of four-byte characters
    const fields: Record<string, string> = { version: await edit() };
    for (const h of ['story', 'meaning', 'hypotheses', 'doubts', 'optimism']) fields[h] = '🦓'.repeat(100_000);
    const huge = await tess.submit(`${record}/edit`, fields, `${record}/edit`);
    assert.equal(huge.statusCode, 413);
    assert.match($(huge.body)('h1').text(), /What you sent was too long to save/);
    assert.match($(huge.body)('main').text(), /nothing was cut short/);
    assert.equal((await t.services.records.find(record.slice(9)))!.content['story'], whole, 'nothing saved');
  });
});
