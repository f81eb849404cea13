// The home page shows each person what concerns them now; the policy page reads as a document; the accessibility
// statement and privacy notice are open to all and linked from every page.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describeEachDatabase, test } from '../helpers/databases.ts';
import { buildTestApp, Client, setUpAndSignIn, signIn, $, type TestApp } from '../helpers/app.ts';
import { SEED, SOCIAL_WORKER, addChild, addPerson, supervise, createUserWithPassword } from '../helpers/factories.ts';
import { setUserStaff } from '../../src/repositories/users.ts';
import type { Role } from '../../src/services/roles.ts';

const PASSWORD = 'a sensible long passphrase';

describeEachDatabase('home page and policy page', (database) => {
  let t: TestApp;
  let admin: Client;
  beforeEach(async () => {
    t = await buildTestApp(database);
    admin = await setUpAndSignIn(t); // gloucestershire, on 23 November 2026
  });
  afterEach(async () => t.close());

  /** An account for a staff record, signed in. */
  async function account(staffId: string | null, email: string, roles: Role[]): Promise<Client> {
    const made = await createUserWithPassword(
      t.services,
      { name: email.split('@')[0]!, email, roles, staffId: null, password: PASSWORD },
      SEED,
    );
    assert.ok(made.ok);
    if (staffId) await setUserStaff(t.db.db, made.id, staffId, new Date().toISOString());
    const c = new Client(t.app, `10.7.0.${email.length}`);
    await signIn(c, email, PASSWORD);
    return c;
  }

  const rows = (html: string, caption: RegExp) => {
    const q = $(html);
    const table = q('table').filter((_, el) => caption.test(q(el).find('caption').text()));
    return table
      .find('tbody tr')
      .map((_, tr) => q(tr).text().replace(/\s+/g, ' ').trim())
      .get();
  };

  test('each sees their next sessions, the records waiting for their answer and those they must finish', async () => {
    const tm = await addPerson(t.services, 'Tess Manager', {
      started: '2015-01-05',
      job: { ...SOCIAL_WORKER, roles: ['team-manager'], caseHolding: false },
    });
    const sw = await addPerson(t.services, 'Sam Worker', { started: '2026-01-05' });
    const other = await addPerson(t.services, 'Olu Other', { started: '2026-01-05' });
    await supervise(t.services, tm, sw, '2026-01-05');
    await supervise(t.services, tm, other, '2026-01-05');
    const child = await addChild(t.services, 'C1001', 'child-protection-plan', '2026-10-01', sw);
    const viewer = { userId: 'seed', roles: ['manager' as Role], staffId: tm };
    const covers = [
      { kind: 'professional' as const, subjectId: sw },
      { kind: 'case' as const, subjectId: child },
    ];
    const base = { startTime: '10:00', minutes: 60, mode: 'in-person' as const, location: null, supervisorId: tm };
    const next = await t.services.sittings.plan(
      viewer,
      { ...base, date: '2026-12-02', superviseeIds: [sw], covers },
      SEED,
    );
    assert.ok(next.ok);
    const held = await t.services.sittings.recordHeld(
      viewer,
      { ...base, date: '2026-11-20', superviseeIds: [sw], covers },
      SEED,
    );
    assert.ok(held.ok);
    const recs = (await t.services.sittings.view(viewer, held.id, SEED))!.records;
    const caseRecord = recs.find((r) => r.kind === 'case')!;
    assert.ok((await t.services.records.save(viewer, caseRecord.id, 1, { story: 'Seen.' }, false, SEED)).ok);
    assert.ok((await t.services.records.share(viewer, caseRecord.id, 2, SEED)).ok);

    const tess = await account(tm, 'tess@example.gov.uk', ['manager']);
    const sam = await account(sw, 'sam@example.gov.uk', ['practitioner']);
    const olu = await account(other, 'olu@example.gov.uk', ['practitioner']);
    const section = (html: string, heading: string) => {
      const q = $(html);
      const h = q('h2').filter((_, el) => q(el).text().trim() === heading);
      return h.length ? h.next().text().replace(/\s+/g, ' ').trim() : null;
    };
    const samHome = (await sam.get('/')).body;
    assert.match(section(samHome, 'Your next sessions')!, /2 December 2026 at 10:00: Tess Manager with Sam Worker/);
    assert.match(section(samHome, 'Records waiting for your answer')!, /Child’s case supervision, 20 November 2026/);
    assert.equal(
      $(samHome)(`a[href="/records/${caseRecord.id}"]`).first().text(),
      'Child’s case supervision, 20 November 2026, about child C1001',
      'the link names the child, so two case records of one sitting read differently',
    );
    assert.ok($(samHome)(`a[href="/records/${caseRecord.id}"]`).length, 'linked to the record');
    assert.equal(section(samHome, 'Records of your sessions to finish'), null, 'Sam held none');

    const tessHome = (await tess.get('/')).body;
    assert.match(section(tessHome, 'Your next sessions')!, /2 December 2026/);
    assert.equal(section(tessHome, 'Records waiting for your answer'), null);
    const unfinished = rows(tessHome, /not yet confirmed/);
    assert.deepEqual(unfinished.sort(), [
      // each link names the record whole (who it is about and when), as a screen reader lists the links
      'Child’s case supervision, child C1001, 20 November 2026 child C1001 20 November 2026 Waiting for confirmation',
      'Professional and personal supervision, Sam Worker, 20 November 2026 Sam Worker 20 November 2026 Not yet written',
    ]);

    const oluHome = (await olu.get('/')).body;
    assert.match(section(oluHome, 'Your next sessions')!, /No sessions are planned/);
    assert.equal(section(oluHome, 'Records waiting for your answer'), null, 'not another person’s records');
  });

  test('a practitioner sees their own supervision due, from the engine', async () => {
    const tm = await addPerson(t.services, 'Tess Manager', {
      started: '2015-01-05',
      job: { ...SOCIAL_WORKER, roles: ['team-manager'], caseHolding: false },
    });
    const sw = await addPerson(t.services, 'Sam Worker', { started: '2026-09-07' });
    await supervise(t.services, tm, sw, '2026-09-07');
    const sam = await account(sw, 'sam@example.gov.uk', ['practitioner']);
    const home = await sam.get('/');
    assert.equal(home.statusCode, 200);
    const mine = rows(home.body, /due for you/);
    const expected = (await t.services.due.forStaff(sw, '2026-11-23')).obligations;
    assert.ok(expected.length > 0);
    assert.equal(mine.length, expected.length);
    // 4-weekly professional supervision from 7 September: first due 5 October, overdue now
    assert.match(mine[0]!, /Professional supervision 5 October 2026 Overdue/);
    assert.doesNotMatch(home.body, /responsible for/, 'no one below them');
  });

  test('a supervisor sees the people below them and their children, overdue first; no one else’s', async () => {
    const sm = await addPerson(t.services, 'Sue Service', {
      started: '2015-01-05',
      job: { ...SOCIAL_WORKER, roles: ['service-manager'], caseHolding: false },
    });
    const tm = await addPerson(t.services, 'Tess Manager', {
      started: '2015-01-05',
      job: { ...SOCIAL_WORKER, roles: ['team-manager'], caseHolding: false },
    });
    const sw = await addPerson(t.services, 'Sam Worker', { started: '2026-01-05' });
    const stranger = await addPerson(t.services, 'Stan Stranger', { started: '2026-01-05' });
    await supervise(t.services, sm, tm, '2020-01-01');
    await supervise(t.services, tm, sw, '2026-01-05');
    await addChild(t.services, 'C1001', 'child-protection-plan', '2026-10-01', sw);
    await addChild(t.services, 'C2002', 'child-protection-plan', '2026-10-01', stranger);
    for (const [who, email] of [
      [tm, 'tess@example.gov.uk'],
      [sm, 'sue@example.gov.uk'],
    ] as const) {
      const c = await account(who, email, ['manager']);
      const home = await c.get('/');
      const theirs = rows(home.body, /due for them/);
      assert.ok(
        theirs.some((r) => /Sam Worker Professional supervision/.test(r)),
        `${email}: ${theirs.join(' | ')}`,
      );
      assert.ok(theirs.some((r) => /Child C1001 Case supervision 29 October 2026 Overdue/.test(r)));
      assert.ok(!theirs.some((r) => /Stan Stranger|C2002/.test(r)), 'not someone else’s people or children');
      const statuses = theirs.map((r) => (/Overdue/.test(r) ? 0 : 1));
      assert.deepEqual(statuses, [...statuses].sort(), 'overdue first');
    }
  });

  test('an account with no staff record is told so; administrators still see their tasks', async () => {
    const loose = await account(null, 'lou@example.gov.uk', ['practitioner']);
    const home = await loose.get('/');
    assert.match($(home.body)('.govuk-inset-text').text(), /not linked to a staff record/);
    const adminHome = await admin.get('/');
    assert.match(adminHome.body, /Users and their roles/);
    assert.doesNotMatch(adminHome.body, /not linked to a staff record/);
  });

  test('the policy page has a contents list and plain headings; it is in the navigation', async () => {
    const res = await admin.get('/policy');
    const q = $(res.body);
    const contents = q('nav[aria-label=Contents] a')
      .map((_, a) => q(a).text().trim())
      .get();
    assert.deepEqual(contents.slice(0, 3), ['Case supervision', 'Case discussion', 'Assessment review in supervision']);
    for (const href of q('nav[aria-label=Contents] a')
      .map((_, a) => q(a).attr('href'))
      .get()) {
      assert.equal(q(href).length, 1, `${href} is on the page`);
    }
    const headings = q('.app-rule h3')
      .map((_, h) => q(h).text().trim())
      .get();
    assert.ok(headings.includes('Child protection plan'));
    assert.ok(!headings.some((h) => /[a-z]+-[a-z]+/.test(h) && h === h.toLowerCase()), 'no rule ids as headings');
    assert.equal(q('.govuk-service-navigation a[href="/policy"]').length, 1);
  });

  test('the accessibility statement and privacy notice are open to all and linked from every page', async () => {
    const anon = new Client(t.app);
    for (const [path, heading] of [
      ['/accessibility', 'Accessibility statement'],
      ['/privacy', 'Privacy notice'],
    ] as const) {
      const res = await anon.get(path);
      assert.equal(res.statusCode, 200);
      assert.equal($(res.body)('h1').text().trim(), heading);
    }
    for (const page of [await anon.get('/sign-in'), await admin.get('/')]) {
      const footer = $(page.body)('footer a')
        .map((_, a) => $(page.body)(a).attr('href'))
        .get();
      assert.deepEqual(footer, ['/accessibility', '/privacy']);
    }
  });
});
