// Children's pages on SQLite and PostgreSQL: the list and finding a child by ID number, a child's page with what is
// due, the record keepers' forms (good input, bad input field by field, conflicts), and who may see which child.
import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import { afterEach, beforeEach, describeEachDatabase, test } from '../helpers/databases.ts';
import { buildTestApp, Client, errorSummary, setUpAndSignIn, signIn, $, type TestApp } from '../helpers/app.ts';
import {
  ACCOUNT_PASSWORD,
  SEED,
  addChild,
  addPerson,
  addStaffAccount,
  supervise,
  createUserWithPassword,
} from '../helpers/factories.ts';
import { listAudit } from '../../src/repositories/audit.ts';
import type { Role } from '../../src/services/roles.ts';

const TODAY = '2026-11-23'; // the test clock's day
const NO_SUCH_ID = '00000000-0000-4000-8000-000000000000';
const CONFLICT =
  'Someone else changed this record while you were editing it. Check it as it is now and make your change again.';

/** "2 March 2026", as the pages write dates. */
function long(iso: string): string {
  return new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
    new Date(`${iso}T00:00:00Z`),
  );
}

function date(name: string, iso: string): Record<string, string> {
  const [y, m, d] = iso.split('-');
  return { [`${name}-day`]: String(Number(d)), [`${name}-month`]: String(Number(m)), [`${name}-year`]: y ?? '' };
}

const NO_DATE = (name: string) => ({ [`${name}-day`]: '', [`${name}-month`]: '', [`${name}-year`]: '' });

/** The ID numbers a list or search page shows, in order. */
function refsListed(res: LightMyRequestResponse): string[] {
  const q = $(res.body);
  return q('td[data-label="ID number"] a')
    .map((_, a) => q(a).text().trim())
    .get();
}

/** The main content's text, squeezed. */
function mainText(res: LightMyRequestResponse): string {
  return $(res.body)('main').text().replace(/\s+/g, ' ').trim();
}

describeEachDatabase('children’s pages', (database) => {
  let t: TestApp;
  let admin: Client;
  let ips = 0;

  beforeEach(async () => {
    t = await buildTestApp(database);
    admin = await setUpAndSignIn(t);
  });
  afterEach(async () => t.close());

  /** A client signed in as the account with this email. */
  async function as(email: string): Promise<Client> {
    const client = new Client(t.app, `10.7.0.${++ips}`);
    await signIn(client, email, ACCOUNT_PASSWORD);
    return client;
  }

  async function count(table: 'children' | 'child_episodes' | 'child_flags' | 'child_allocations'): Promise<number> {
    const r = await t.db.db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }

  async function childId(ref: string): Promise<string> {
    const r = await t.db.db.selectFrom('children').select('id').where('ref', '=', ref).executeTakeFirstOrThrow();
    return r.id;
  }

  // --- adding a child ---------------------------------------------------------------------------------------------

  test('adding a child with a first status and worker: the child’s page shows them', async () => {
    const sam = await addPerson(t.services, 'Sam Worker', { ref: 'SW1', started: '2024-01-08' });
    const res = await admin.submit('/children/new', {
      ref: 'C-1001',
      name: 'Alex Example',
      ...date('dateOfBirth', '2015-03-27'),
      status: 'child-protection-plan',
      staffId: sam,
      ...date('from', '2026-03-02'),
    });
    assert.equal(res.statusCode, 303);
    const id = await childId('C-1001');
    assert.equal(res.headers.location, `/children/${id}?done=added`);
    const page = await admin.get(String(res.headers.location));
    assert.equal(page.statusCode, 200);
    const q = $(page.body);
    assert.equal(q('h1').text().trim(), 'C-1001');
    assert.equal(q('[data-field="name"]').text().trim(), 'Alex Example');
    assert.equal(q('[data-field="dateOfBirth"]').text().trim(), '27 March 2015');
    assert.match(q('#episodes').text(), /Child protection plan\s+Open\s+2 March 2026\s+Ongoing/);
    assert.match(q('#allocations').text(), /Sam Worker\s+Open\s+2 March 2026\s+Ongoing/);
    assert.match(q('.govuk-notification-banner').text(), /Child added/);
    const c = await t.services.children.find(id);
    assert.equal(c?.version, 1, 'a new child and what it starts with are one version');
    assert.deepEqual(
      (await listAudit(t.db.db)).filter((a) => a.objectId === id).map((a) => [a.action, a.objectType]),
      [
        ['read', 'child'],
        ['create', 'child'],
      ],
    );
  });

  test('adding a child: bad input is answered field by field, the input kept, nothing written', async () => {
    const sam = await addPerson(t.services, 'Sam Worker', { started: '2024-01-08' });
    const cases: Array<[Record<string, string>, string[]]> = [
      [
        { ref: '', name: '', ...NO_DATE('dateOfBirth'), status: 'child-in-need', staffId: '', ...NO_DATE('from') },
        ['Enter the ID number', 'Enter the start date'],
      ],
      [
        {
          ref: 'C 1/2',
          name: 'x'.repeat(101),
          ...date('dateOfBirth', '2015-02-28'),
          'dateOfBirth-day': '31',
          status: 'wizard',
          staffId: 'not-a-worker',
          ...date('from', '2026-03-02'),
        },
        [
          'ID number must only include letters, numbers and hyphens',
          'Name must be 100 characters or fewer',
          'The date of birth must be a real date',
          'Select the status',
          'Select the worker',
        ],
      ],
      [
        { ref: 'C1', name: '', ...date('dateOfBirth', '2026-11-24'), status: '', staffId: '', ...NO_DATE('from') },
        ['The date of birth must be in the past'],
      ],
      [
        {
          ref: 'C1',
          name: '',
          ...date('dateOfBirth', '1949-12-31'),
          status: '',
          staffId: '',
          ...date('from', '2026-01-01'),
        },
        [
          'The date of birth must be after 1 January 1950',
          'Select a status or a worker for this start date, or leave it empty',
        ],
      ],
      [
        {
          ref: 'C1',
          name: '',
          ...NO_DATE('dateOfBirth'),
          status: '',
          staffId: sam,
          'from-day': '30',
          'from-month': '2',
          'from-year': '2026',
        },
        ['The start date must be a real date'],
      ],
      [
        {
          ref: 'C1',
          name: '',
          ...NO_DATE('dateOfBirth'),
          status: 'child-in-need',
          staffId: '',
          ...date('from', '1950-01-01'),
        },
        ['The start date must be after 1 January 1950'],
      ],
      // the worker started after the day asked: refused by the service, and nothing of the child is written
      [
        {
          ref: 'C1',
          name: 'Kept',
          ...NO_DATE('dateOfBirth'),
          status: 'child-in-need',
          staffId: sam,
          ...date('from', '2023-06-01'),
        },
        ['Sam Worker started on 8 January 2024: the allocation cannot begin before'],
      ],
    ];
    for (const [fields, messages] of cases) {
      const res = await admin.submit('/children/new', fields);
      assert.equal(res.statusCode, 400, JSON.stringify(fields));
      assert.deepEqual(errorSummary(res.body), messages);
      const q = $(res.body);
      assert.equal(q('#ref').val(), fields['ref'], 'the ID number is kept');
      assert.equal(q('#name').val(), fields['name'], 'the name is kept');
      assert.equal(q('#dateOfBirth-day').val(), fields['dateOfBirth-day']);
      assert.equal(q('#from-day').val(), fields['from-day']);
      if (fields['status'] && fields['status'] !== 'wizard') {
        assert.equal(q(`input[name="status"][value="${fields['status']}"]`).attr('checked'), 'checked');
      }
      if (fields['staffId'] === sam) assert.equal(q('#staffId option:selected').val(), sam);
    }
    assert.equal(await count('children'), 0);
    assert.equal(await count('child_episodes'), 0);
    assert.equal(await count('child_allocations'), 0);

    // someone who is leaving: an allocation from the new child's form ends on their last day, and cannot start after
    const wren = await addPerson(t.services, 'Wren Leaving', { started: '2024-01-08', left: '2026-12-31' });
    const late = await admin.submit('/children/new', {
      ref: 'C7',
      name: '',
      ...NO_DATE('dateOfBirth'),
      status: '',
      staffId: wren,
      ...date('from', '2027-01-04'),
    });
    assert.deepEqual(errorSummary(late.body), [
      'Wren Leaving leaves on 31 December 2026: the start date must be on or before then',
    ]);
    assert.equal(await count('children'), 0);
    const leaving = await admin.submit('/children/new', {
      ref: 'C7',
      name: '',
      ...NO_DATE('dateOfBirth'),
      status: '',
      staffId: wren,
      ...date('from', '2026-11-02'),
    });
    assert.equal(leaving.statusCode, 303);
    const c7 = await t.services.children.find(await childId('C7'));
    assert.deepEqual(
      c7?.allocations.map((a) => [a.staffName, a.from, a.to]),
      [['Wren Leaving', '2026-11-02', '2026-12-31']],
    );

    await addChild(t.services, 'C1', 'child-in-need', '2026-01-05');
    const dup = await admin.submit('/children/new', {
      ref: 'C1',
      name: 'Someone',
      ...NO_DATE('dateOfBirth'),
      status: '',
      staffId: '',
      ...NO_DATE('from'),
    });
    assert.equal(dup.statusCode, 400);
    assert.deepEqual(errorSummary(dup.body), ['There is already a child with ID number C1']);
    assert.equal(await count('children'), 2);
  });

  test('NUL and control characters are refused with a message, never stored and never a server error', async () => {
    const cases: Array<[Record<string, string>, string[]]> = [
      [{ ref: 'C\u00001', name: '' }, ['ID number must not include line breaks or control characters']],
      [{ ref: 'C1', name: 'Al\u0000ex' }, ['Name must not include line breaks or control characters']],
      [{ ref: 'C1', name: 'Al\u001bex' }, ['Name must not include line breaks or control characters']],
      [{ ref: 'C1', name: 'Al\nex' }, ['Name must not include line breaks or control characters']],
      [
        { ref: 'C1', name: '', 'dateOfBirth-day': '1\u0000', 'dateOfBirth-month': '2', 'dateOfBirth-year': '2015' },
        ['The date of birth must be a real date'],
      ],
      [{ ref: 'C1', name: '', status: 'child-in-need\u0000' }, ['Select the status', 'Enter the start date']],
      [{ ref: 'C1', name: '', staffId: '\u0000' }, ['Select the worker', 'Enter the start date']],
    ];
    for (const [fields, messages] of cases) {
      const res = await admin.submit('/children/new', { ...NO_DATE('dateOfBirth'), ...NO_DATE('from'), ...fields });
      assert.equal(res.statusCode, 400, JSON.stringify(fields));
      assert.deepEqual(errorSummary(res.body), messages);
    }
    assert.equal(await count('children'), 0);

    const id = await addChild(t.services, 'C2', 'child-in-need', '2026-01-05');
    const edit = await admin.submit(`/children/${id}/edit`, {
      ref: 'C2',
      name: 'A\u0000',
      ...NO_DATE('dateOfBirth'),
      version: '2',
    });
    assert.equal(edit.statusCode, 400);
    assert.deepEqual(errorSummary(edit.body), ['Name must not include line breaks or control characters']);
    assert.equal((await t.services.children.find(id))?.name, null);

    const search = await admin.get('/children?ref=C%00');
    assert.equal(search.statusCode, 400);
    assert.deepEqual(errorSummary(search.body), ['ID number must not include line breaks or control characters']);
    assert.deepEqual(refsListed(search), []);
    for (const path of [`/children/${id}%00`, `/children/${id}/episodes/1%00/end`, `/children/%00/edit`]) {
      assert.equal((await admin.get(path)).statusCode, 404, path);
    }
  });

  // --- changing details, and two editors --------------------------------------------------------------------------

  test('changing a child’s details; the second of two editors keeps their input and sees what is saved now', async () => {
    const id = await addChild(t.services, 'C1', 'child-in-need', '2026-01-05');
    const form = await admin.get(`/children/${id}/edit`);
    assert.equal(form.statusCode, 200);
    assert.equal($(form.body)('input[name="version"]').val(), '2');
    assert.equal($(form.body)('#ref').val(), 'C1');

    // someone else saves first
    const first = await t.services.children.update(id, 2, { ref: 'C1', name: 'Sam First', dateOfBirth: null }, SEED);
    assert.ok(first.ok);
    const mine = { ref: 'C1-A', name: 'Alex Second', ...date('dateOfBirth', '2014-05-06'), version: '2' };
    const events = async () => (await listAudit(t.db.db, 1000)).filter((e) => e.objectId === id).map((e) => e.action);
    const before = await events();
    const clash = await admin.submit(`/children/${id}/edit`, mine);
    assert.equal(clash.statusCode, 400);
    assert.deepEqual(errorSummary(clash.body), [CONFLICT]);
    const q = $(clash.body);
    assert.equal(q('.govuk-error-summary__list a').attr('href'), '#version');
    assert.match(q('#version').text(), /Saved now: ID number C1, name Sam First, date of birth not recorded/);
    assert.equal(q('#name').val(), 'Alex Second', 'their input is kept');
    assert.equal(q('#ref').val(), 'C1-A');
    assert.equal(q('#dateOfBirth-year').val(), '2014');
    assert.equal(q('input[name="version"]').val(), '3', 'the form now carries the version saved');
    assert.equal((await t.services.children.find(id))?.name, 'Sam First', 'nothing overwritten');
    assert.deepEqual(
      (await events()).slice(0, -before.length),
      ['read', 'read', 'read'],
      'the form, the form sent and the record shown again are each an audited read; nothing is written',
    );

    const again = await admin.submit(`/children/${id}/edit`, { ...mine, version: '3' });
    assert.equal(again.statusCode, 303);
    assert.equal(again.headers.location, `/children/${id}?done=changed`);
    const saved = await t.services.children.find(id);
    assert.deepEqual(
      [saved?.ref, saved?.name, saved?.dateOfBirth, saved?.version],
      ['C1-A', 'Alex Second', '2014-05-06', 4],
    );

    // bad input on the edit form: field by field, kept, nothing written
    const bad = await admin.submit(`/children/${id}/edit`, {
      ref: '',
      name: 'Changed',
      ...date('dateOfBirth', '2030-01-01'),
      version: '4',
    });
    assert.equal(bad.statusCode, 400);
    assert.deepEqual(errorSummary(bad.body), ['Enter the ID number', 'The date of birth must be in the past']);
    assert.equal($(bad.body)('#name').val(), 'Changed');
    assert.equal((await t.services.children.find(id))?.version, 4);

    const other = await addChild(t.services, 'C9', 'child-in-need', '2026-01-05');
    const dup = await admin.submit(`/children/${other}/edit`, {
      ref: 'C1-A',
      name: '',
      ...NO_DATE('dateOfBirth'),
      version: '2',
    });
    assert.deepEqual(errorSummary(dup.body), ['There is already a child with ID number C1-A']);
    assert.equal((await admin.get(`/children/${NO_SUCH_ID}/edit`)).statusCode, 404);
    assert.equal((await admin.get('/children/not-an-id/edit')).statusCode, 404);
  });

  // --- status episodes, flags and allocations -------------------------------------------------------------------

  test('adding a status episode, a flag and an allocation: good input saved, bad input answered field by field', async () => {
    const sam = await addPerson(t.services, 'Sam Worker', { started: '2024-01-08' });
    const gone = await addPerson(t.services, 'Gus Gone', { started: '2020-01-06', left: '2025-12-31' });
    const id = await addChild(t.services, 'C1', 'child-in-need', '2026-01-05');
    const before = async () => [
      await count('child_episodes'),
      await count('child_flags'),
      await count('child_allocations'),
    ];
    const was = await before();

    const bad: Array<[string, Record<string, string>, string[]]> = [
      ['episodes', { status: '', ...NO_DATE('from'), ...NO_DATE('to') }, ['Select the status', 'Enter the start date']],
      [
        'episodes',
        { status: 'wizard', 'from-day': '29', 'from-month': '2', 'from-year': '2026', ...NO_DATE('to') },
        ['Select the status', 'The start date must be a real date'],
      ],
      [
        'episodes',
        { status: 'child-protection-plan', ...date('from', '1949-06-01'), ...NO_DATE('to') },
        ['The start date must be after 1 January 1950'],
      ],
      [
        'episodes',
        { status: '', ...date('from', '2026-03-02'), ...date('to', '2026-03-01') },
        ['Select the status', 'The end date must be the same as or after the start date'],
      ],
      [
        'episodes',
        {
          status: 'child-protection-plan',
          ...date('from', '2026-03-02'),
          'to-day': '4',
          'to-month': '',
          'to-year': '',
        },
        ['The end date must include a month and year'],
      ],
      ['flags', { flag: 'nope', ...NO_DATE('from'), ...NO_DATE('to') }, ['Select the flag', 'Enter the start date']],
      ['allocations', { staffId: '', ...date('from', '2026-03-02'), ...NO_DATE('to') }, ['Select the worker']],
      ['allocations', { staffId: gone, ...date('from', '2025-03-02'), ...NO_DATE('to') }, ['Select the worker']],
      [
        'allocations',
        { staffId: sam, ...date('from', '2023-03-02'), ...NO_DATE('to') },
        ['Sam Worker started on 8 January 2024: the allocation cannot begin before'],
      ],
    ];
    for (const [kind, fields, messages] of bad) {
      const res = await admin.submit(`/children/${id}/${kind}/new`, { ...fields, version: '2' });
      assert.equal(res.statusCode, 400, `${kind} ${JSON.stringify(fields)}`);
      assert.deepEqual(errorSummary(res.body), messages, `${kind} ${JSON.stringify(fields)}`);
      const q = $(res.body);
      assert.equal(q('#from-day').val(), fields['from-day']);
      assert.equal(q('#from-year').val(), fields['from-year']);
      assert.equal(q('#to-day').val(), fields['to-day']);
      assert.equal(q('input[name="version"]').val(), '2');
      if (fields['status'] === 'child-protection-plan') {
        assert.equal(q('input[name="status"][value="child-protection-plan"]').attr('checked'), 'checked');
      }
      if (fields['staffId'] === sam) assert.equal(q('#staffId option:selected').val(), sam);
    }
    assert.deepEqual(await before(), was, 'nothing written');
    assert.equal((await t.services.children.find(id))?.version, 2);

    const episode = await admin.submit(`/children/${id}/episodes/new`, {
      status: 'child-protection-plan',
      ...date('from', '2026-03-02'),
      ...NO_DATE('to'),
      version: '2',
    });
    assert.equal(episode.statusCode, 303);
    assert.equal(episode.headers.location, `/children/${id}?done=episode`);
    const flag = await admin.submit(`/children/${id}/flags/new`, {
      flag: 'nrpf-only',
      ...date('from', '2026-03-02'),
      ...date('to', '2026-12-31'),
      version: '3',
    });
    assert.equal(flag.statusCode, 303);
    const allocation = await admin.submit(`/children/${id}/allocations/new`, {
      staffId: sam,
      ...date('from', '2026-03-02'),
      ...NO_DATE('to'),
      version: '4',
    });
    assert.equal(allocation.statusCode, 303);
    const page = $((await admin.get(`/children/${id}?done=allocation`)).body);
    assert.match(page('.govuk-notification-banner').text(), /Worker allocated/);
    assert.match(page('#episodes').text(), /Child protection plan\s+Open\s+2 March 2026\s+Ongoing/);
    assert.match(page('#flags').text(), /No recourse to public funds only\s+Open\s+2 March 2026\s+31 December 2026/);
    assert.match(page('#allocations').text(), /Sam Worker\s+Open\s+2 March 2026\s+Ongoing/);
    const c = await t.services.children.find(id);
    assert.equal(c?.version, 5);

    // a form read before someone else changed the record: the entry is kept, the version moves on, nothing written
    const stale = await admin.submit(`/children/${id}/flags/new`, {
      flag: 'long-term-matched',
      ...date('from', '2026-04-01'),
      ...NO_DATE('to'),
      version: '4',
    });
    assert.equal(stale.statusCode, 400);
    assert.deepEqual(errorSummary(stale.body), [CONFLICT]);
    const q = $(stale.body);
    assert.equal(q('input[name="version"]').val(), '5');
    assert.equal(q('input[name="flag"][value="long-term-matched"]').attr('checked'), 'checked');
    assert.equal(q('#from-month').val(), '4');
    assert.match(
      q('#version').text(),
      /Recorded now for this child: status Child in need plan, Child protection plan; flags no recourse to public funds only; allocated Sam Worker/,
    );
    assert.equal(await count('child_flags'), 1);
    // a form with no version at all is not taken as the latest
    const unversioned = await admin.submit(`/children/${id}/flags/new`, {
      flag: 'long-term-matched',
      ...date('from', '2026-04-01'),
      ...NO_DATE('to'),
    });
    assert.deepEqual(errorSummary(unversioned.body), [CONFLICT]);
    assert.equal(await count('child_flags'), 1);
    assert.equal((await admin.get(`/children/${NO_SUCH_ID}/flags/new`)).statusCode, 404);
  });

  test('ending a status episode, a flag or an allocation: the end date is checked against the start', async () => {
    const sam = await addPerson(t.services, 'Sam Worker', { started: '2024-01-08' });
    const id = await addChild(t.services, 'C1', 'child-protection-plan', '2026-03-02', sam);
    const other = await addChild(t.services, 'C2', 'child-in-need', '2026-01-05');
    const c = await t.services.children.find(id);
    const episodeId = c!.episodes[0]!.id;
    const allocationId = c!.allocations[0]!.id;
    const path = `/children/${id}/episodes/${episodeId}/end`;

    const form = await admin.get(path);
    assert.equal(form.statusCode, 200);
    assert.match(mainText(form), /Child protection plan, from 2 March 2026/);
    const cases: Array<[Record<string, string>, string]> = [
      [NO_DATE('to'), 'Enter the end date'],
      [{ 'to-day': '31', 'to-month': '4', 'to-year': '2026' }, 'The end date must be a real date'],
      [date('to', '2026-03-01'), 'The end date must be the same as or after the start date, 2 March 2026'],
    ];
    for (const [fields, message] of cases) {
      const res = await admin.submit(path, { ...fields, version: '3' });
      assert.equal(res.statusCode, 400);
      assert.deepEqual(errorSummary(res.body), [message]);
      assert.equal($(res.body)('#to-day').val(), fields['to-day']);
    }
    assert.equal((await t.services.children.find(id))?.episodes[0]?.to, null, 'nothing written');

    const stale = await admin.submit(path, { ...date('to', '2026-11-20'), version: '2' });
    assert.equal(stale.statusCode, 400);
    assert.deepEqual(errorSummary(stale.body), [CONFLICT]);
    assert.equal($(stale.body)('input[name="version"]').val(), '3');
    assert.equal($(stale.body)('#to-day').val(), '20');

    const ended = await admin.submit(path, { ...date('to', '2026-11-20'), version: '3' });
    assert.equal(ended.statusCode, 303);
    assert.equal(ended.headers.location, `/children/${id}?done=episode-ended`);
    assert.equal((await t.services.children.find(id))?.episodes[0]?.to, '2026-11-20');
    const page = $((await admin.get(`/children/${id}`)).body);
    assert.match(page('#episodes').text(), /Child protection plan\s+2 March 2026\s+20 November 2026/);
    assert.equal(page(`a[href="${path}"]`).length, 0, 'no End link for an episode that has ended');
    assert.equal(page(`a[href="/children/${id}/allocations/${allocationId}/end"]`).length, 1);
    assert.equal((await admin.get(path)).statusCode, 404, 'an episode that has ended cannot be ended again');

    // an allocation ended: in the past, so the worker is no longer allocated
    const end = await admin.submit(`/children/${id}/allocations/${allocationId}/end`, {
      ...date('to', '2026-11-22'),
      version: '4',
    });
    assert.equal(end.statusCode, 303);
    assert.equal((await t.services.children.find(id))?.allocations[0]?.to, '2026-11-22');

    // spans that are not this child's, or not there, or not shaped like an id: not found
    const otherEpisode = (await t.services.children.find(other))!.episodes[0]!.id;
    for (const p of [
      `/children/${id}/episodes/${otherEpisode}/end`,
      `/children/${id}/flags/${episodeId}/end`,
      `/children/${id}/episodes/999999/end`,
      `/children/${id}/episodes/0/end`,
      `/children/${id}/episodes/x/end`,
      `/children/${NO_SUCH_ID}/episodes/${episodeId}/end`,
    ]) {
      assert.equal((await admin.get(p)).statusCode, 404, p);
      const post = await admin.submit(p, { ...date('to', '2026-11-22'), version: '5' }, `/children/${id}`);
      assert.equal(post.statusCode, 404, `POST ${p}`);
    }
    assert.equal((await t.services.children.find(other))?.episodes[0]?.to, null);
  });

  // --- who sees which child -----------------------------------------------------------------------------------------

  test('a practitioner sees only their children: others are not found, not listed and not found by search', async () => {
    const pat = await addStaffAccount(t.services, 'Pat Practitioner', 'pat@example.gov.uk', ['practitioner']);
    const kim = await addPerson(t.services, 'Kim Colleague');
    const mine = await addChild(t.services, 'C100', 'child-in-need', '2026-01-05', pat.staffId);
    const theirs = await addChild(t.services, 'C101', 'child-in-need', '2026-01-05', kim);
    await addChild(t.services, 'C102', 'child-in-need', '2026-01-05'); // nobody's
    const client = await as('pat@example.gov.uk');

    assert.equal((await client.get(`/children/${mine}`)).statusCode, 200);
    const hidden = await client.get(`/children/${theirs}`);
    const missing = await client.get(`/children/${NO_SUCH_ID}`);
    assert.equal(hidden.statusCode, 404);
    assert.equal(missing.statusCode, 404);
    assert.equal(mainText(hidden), mainText(missing), 'the same answer as for a child that does not exist');
    assert.doesNotMatch(hidden.body, /C101/);

    assert.deepEqual(refsListed(await client.get('/children')), ['C100']);
    const found = await client.get('/children?ref=C100');
    assert.equal(found.statusCode, 303, 'an exact match goes straight to the child');
    assert.equal(found.headers.location, `/children/${mine}`);
    assert.deepEqual(refsListed(await client.get('/children?ref=C10')), ['C100']);
    const hiddenSearch = await client.get('/children?ref=C101');
    const missingSearch = await client.get('/children?ref=C109');
    assert.equal(hiddenSearch.statusCode, 200);
    assert.deepEqual(refsListed(hiddenSearch), []);
    assert.match(mainText(hiddenSearch), /No child found/);
    assert.equal(
      mainText(hiddenSearch).replace('C101', '?'),
      mainText(missingSearch).replace('C109', '?'),
      'a child the practitioner may not see is answered as one that does not exist',
    );
    for (const path of [
      `/children/${mine}/edit`,
      `/children/${mine}/episodes/new`,
      `/children/${mine}/flags/new`,
      `/children/${mine}/allocations/new`,
      '/children/new',
    ]) {
      assert.equal((await client.get(path)).statusCode, 403, path);
    }
    const page = $((await client.get(`/children/${mine}`)).body);
    assert.equal(page('a[href$="/edit"], a[href$="/new"], a[href$="/end"]').length, 0, 'no links to change the record');
  });

  test('supervisors and the managers above them by line see their people’s children; a former worker does not', async () => {
    const head = await addStaffAccount(t.services, 'Hana Head', 'hana@example.gov.uk', ['manager'], {
      started: '2015-01-05',
    });
    const tm = await addStaffAccount(t.services, 'Tess Manager', 'tess@example.gov.uk', ['manager'], {
      started: '2015-01-05',
    });
    const sw = await addStaffAccount(t.services, 'Sam Worker', 'sam@example.gov.uk', ['practitioner'], {
      started: '2015-01-05',
    });
    const elsewhere = await addStaffAccount(t.services, 'Eli Elsewhere', 'eli@example.gov.uk', ['manager'], {
      started: '2015-01-05',
    });
    const past = await addStaffAccount(t.services, 'Fay Former', 'fay@example.gov.uk', ['practitioner'], {
      started: '2015-01-05',
    });
    await supervise(t.services, head.staffId, tm.staffId, '2020-01-01');
    await supervise(t.services, tm.staffId, sw.staffId, '2020-01-01');
    await supervise(t.services, elsewhere.staffId, past.staffId, '2020-01-01');
    const child = await addChild(t.services, 'C200', 'child-protection-plan', '2026-03-02', sw.staffId);
    // Fay was the child's worker until yesterday
    const c = await t.services.children.find(child);
    const added = await t.services.children.addSpan(
      child,
      c!.version,
      { kind: 'allocation', staffId: past.staffId, from: '2026-03-02', to: '2026-11-22' },
      SEED,
    );
    assert.ok(added.ok);

    for (const email of ['sam@example.gov.uk', 'tess@example.gov.uk', 'hana@example.gov.uk']) {
      const client = await as(email);
      assert.equal((await client.get(`/children/${child}`)).statusCode, 200, email);
      assert.deepEqual(refsListed(await client.get('/children')), ['C200'], email);
    }
    for (const email of ['fay@example.gov.uk', 'eli@example.gov.uk']) {
      const client = await as(email);
      assert.equal((await client.get(`/children/${child}`)).statusCode, 404, email);
      assert.deepEqual(refsListed(await client.get('/children')), [], email);
      assert.equal((await client.get('/children?ref=C200')).statusCode, 200, `${email}: no way to the child by search`);
    }
    // the line is judged today: before Fay's allocation ended she saw the child
    t.clock.advance(-2 * 24 * 60 * 60 * 1000);
    const fay = await as('fay@example.gov.uk');
    assert.equal((await fay.get(`/children/${child}`)).statusCode, 200);
  });

  test('business support, administrators, senior leaders and quality assurance see every child; only record keepers change them', async () => {
    const child = await addChild(t.services, 'C300', 'child-in-need', '2026-01-05');
    const roles: Array<[Role, number]> = [
      ['business-support', 200],
      ['senior-leader', 403],
      ['quality-assurance', 403],
      ['manager', 403],
    ];
    for (const [role, edit] of roles) {
      const made = await createUserWithPassword(
        t.services,
        {
          name: role,
          email: `${role}@example.gov.uk`,
          roles: [role],
          staffId: null,
          password: ACCOUNT_PASSWORD,
        },
        SEED,
      );
      assert.ok(made.ok);
      const client = await as(`${role}@example.gov.uk`);
      const seesAll = role !== 'manager';
      assert.equal((await client.get(`/children/${child}`)).statusCode, seesAll ? 200 : 404, role);
      assert.deepEqual(refsListed(await client.get('/children')), seesAll ? ['C300'] : [], role);
      assert.equal((await client.get(`/children/${child}/edit`)).statusCode, edit, role);
      assert.equal((await client.get('/children/new')).statusCode, edit, role);
    }
    assert.equal((await admin.get(`/children/${child}`)).statusCode, 200);
    assert.equal((await admin.get(`/children/${child}/edit`)).statusCode, 200);
  });

  test('names and dates of birth appear only on the child’s own page, never in the list or a search', async () => {
    const id = await addChild(t.services, 'C400', 'child-in-need', '2026-01-05');
    await addChild(t.services, 'C401', 'child-in-need', '2026-01-05');
    const ok = await t.services.children.update(
      id,
      2,
      { ref: 'C400', name: 'Zephyrine Quill', dateOfBirth: '2013-07-09' },
      SEED,
    );
    assert.ok(ok.ok);
    for (const path of ['/children', '/children?ref=C4', '/children?ref=c40', '/children?page=1']) {
      const res = await admin.get(path);
      assert.equal(res.statusCode, 200, path);
      assert.deepEqual(refsListed(res), ['C400', 'C401'], path);
      assert.doesNotMatch(res.body, /Zephyrine|Quill|9 July 2013|2013-07-09/, path);
    }
    const page = await admin.get(`/children/${id}`);
    assert.match(page.body, /Zephyrine Quill/);
    assert.match(page.body, /9 July 2013/);
  });

  // --- the list and the search --------------------------------------------------------------------------------------

  test('finding a child: an exact ID number goes to the child; a start lists the matches, the same on both databases', async () => {
    const a = await addChild(t.services, 'AB-1', 'child-in-need', '2026-01-05');
    await addChild(t.services, 'AB-10', 'child-in-need', '2026-01-05');
    await addChild(t.services, 'ABC', 'child-in-need', '2026-01-05');
    // made as an import would (the service takes any ID number): the search takes _ and % literally
    await addChild(t.services, 'X_1', 'child-in-need', '2026-01-05');
    await addChild(t.services, 'XY1', 'child-in-need', '2026-01-05');
    await addChild(t.services, 'P%2', 'child-in-need', '2026-01-05');

    const exact = await admin.get('/children?ref=AB-1');
    assert.equal(exact.statusCode, 303);
    assert.equal(exact.headers.location, `/children/${a}`);
    assert.equal((await admin.get('/children?ref=%20AB-1%20')).headers.location, `/children/${a}`, 'spaces trimmed');
    assert.deepEqual(refsListed(await admin.get('/children?ref=AB-')), ['AB-1', 'AB-10']);
    assert.deepEqual(refsListed(await admin.get('/children?ref=ab')), ['AB-1', 'AB-10', 'ABC'], 'in any case');
    assert.deepEqual(refsListed(await admin.get('/children?ref=X_')), ['X_1']);
    assert.deepEqual(refsListed(await admin.get('/children?ref=P%25')), ['P%2']);
    assert.deepEqual(refsListed(await admin.get('/children?ref=%25')), []);
    const none = await admin.get('/children?ref=Q');
    assert.equal(none.statusCode, 200);
    assert.match(mainText(none), /No child found No child you can see has an ID number starting “Q”/);
    const audit = await listAudit(t.db.db, 20);
    assert.ok(
      audit.some((e) => e.action === 'search' && e.objectType === 'child-list'),
      'searches are audited',
    );
  });

  test('the list shows 50 children a page with statuses and workers open today', async () => {
    const sam = await addPerson(t.services, 'Sam Worker', { started: '2024-01-08' });
    for (let i = 0; i < 51; i++) {
      await addChild(
        t.services,
        `C${String(i).padStart(3, '0')}`,
        'child-in-need',
        '2026-01-05',
        i === 0 ? sam : undefined,
      );
    }
    const first = await admin.get('/children');
    const refs = refsListed(first);
    assert.equal(refs.length, 50);
    assert.equal(refs[0], 'C000');
    const q = $(first.body);
    assert.equal(q('tbody tr').first().find('td[data-label="Status today"]').text().trim(), 'Child in need plan');
    assert.equal(q('tbody tr').first().find('td[data-label="Allocated today"]').text().trim(), 'Sam Worker');
    assert.equal(q('tbody tr').eq(1).find('td[data-label="Allocated today"]').text().trim(), 'Nobody');
    assert.equal(q('.govuk-pagination__next a').attr('href'), '/children?page=2');
    const second = await admin.get('/children?page=2');
    assert.deepEqual(refsListed(second), ['C050']);
    assert.equal($(second.body)('.govuk-pagination__prev a').attr('href'), '/children');
    assert.deepEqual(refsListed(await admin.get('/children?page=x')), refs, 'a page that is not a number: the first');
    const searched = await admin.get('/children?ref=C0');
    assert.equal($(searched.body)('.govuk-pagination__next a').attr('href'), '/children?ref=C0&page=2');
  });

  test('the child’s page shows what is due exactly as the policy engine answers for the same day', async () => {
    const sam = await addPerson(t.services, 'Sam Worker', { started: '2024-01-08' });
    const id = await addChild(t.services, 'C500', 'assessment', '2026-11-10', sam);
    const c = await t.services.children.find(id);
    const flagged = await t.services.children.addSpan(
      id,
      c!.version,
      { kind: 'episode', status: 'child-protection-plan', from: '2026-09-01', to: null },
      SEED,
    );
    assert.ok(flagged.ok);
    const { obligations } = await t.services.due.forChild(id, TODAY);
    assert.ok(obligations.length >= 2, 'a child with several obligations');
    assert.ok(obligations.some((o) => o.status === 'overdue'));
    assert.ok(obligations.some((o) => o.status === 'due'));
    const page = await admin.get(`/children/${id}`);
    const q = $(page.body);
    const rows = q('#due tbody tr')
      .map((_, tr) => [
        [
          q(tr).find('td[data-label="Requirement"]').text().trim(),
          q(tr).find('td[data-label="Due by"]').text().trim(),
          q(tr).find('td[data-label="Status"]').text().trim(),
          q(tr).find('td[data-label="Why"] p').first().text().trim(),
          q(tr).find('td[data-label="Why"] p').eq(1).text().trim(),
          q(tr).find('.govuk-details__text').text().trim(),
        ],
      ])
      .get() as unknown as string[][];
    assert.deepEqual(
      rows,
      obligations.map((o) => [
        o.what.charAt(0).toUpperCase() + o.what.slice(1),
        long(o.due),
        o.status === 'overdue' ? 'Overdue' : 'Due',
        o.explanation,
        `Gloucestershire Children's Services supervision policy, section ${o.section}`,
        o.quote,
      ]),
    );
    assert.equal(q('#due .govuk-tag--red').length, obligations.filter((o) => o.status === 'overdue').length);
    assert.equal(q('#due .govuk-tag--blue').length, obligations.filter((o) => o.status === 'due').length);
    assert.ok(
      (await listAudit(t.db.db, 5)).some((e) => e.action === 'read' && e.objectType === 'child' && e.objectId === id),
      'the read is audited',
    );
  });

  test('the navigation offers Children to those who can see any', async () => {
    await addStaffAccount(t.services, 'Pat Practitioner', 'pat@example.gov.uk', ['practitioner']);
    const none = await createUserWithPassword(
      t.services,
      {
        name: 'No Record',
        email: 'none@example.gov.uk',
        roles: ['practitioner'],
        staffId: null,
        password: ACCOUNT_PASSWORD,
      },
      SEED,
    );
    assert.ok(none.ok);
    const nav = (res: LightMyRequestResponse) =>
      $(res.body)('.govuk-service-navigation__item a')
        .map((_, a) => $(res.body)(a).text().trim())
        .get();
    assert.ok(nav(await admin.get('/')).includes('Children'));
    assert.ok(nav(await (await as('pat@example.gov.uk')).get('/')).includes('Children'));
    assert.ok(!nav(await (await as('none@example.gov.uk')).get('/')).includes('Children'));
    const current = await admin.get('/children');
    assert.equal($(current.body)('.govuk-service-navigation__item--active a').text().trim(), 'Children');
  });
});
