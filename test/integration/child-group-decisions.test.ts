// The child's page lists the decisions of group reflective supervision about the child, with the actions agreed for
// them, on SQLite and PostgreSQL: to those who may see the child, as the chronology does (the whole group record only
// to its own readers), audited; nobody who may not see the child sees them, whether or not they may read the group's
// record.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describeEachDatabase, test } from '../helpers/databases.ts';
import { buildTestApp, Client, errorSummary, signIn, $, type TestApp } from '../helpers/app.ts';
import {
  ACCOUNT_PASSWORD,
  SEED,
  SOCIAL_WORKER,
  addAccount,
  addChild,
  addPerson,
  addTeam,
  setUpAuthority,
  supervise,
} from '../helpers/factories.ts';
import { listAudit } from '../../src/repositories/audit.ts';
import * as recordDecisions from '../../src/db/migrations/2026-12-02T0700_record_decisions.ts';

describeEachDatabase('group decisions on the child’s page', (database) => {
  let t: TestApp;
  let tm: string;
  let sw: string;
  let ola: string;
  let team: string;
  let child: string;

  const client = async (email: string, ip: string) => {
    const c = new Client(t.app, ip);
    await signIn(c, email, ACCOUNT_PASSWORD);
    return c;
  };
  const tessViewer = () => ({ userId: 'tess', roles: ['manager' as const], staffId: tm });

  beforeEach(async () => {
    t = await buildTestApp(database);
    await setUpAuthority(t.services);
    team = await addTeam(t.services, 'Children’s social care', 'Safeguarding East');
    tm = await addPerson(t.services, 'Tess Manager', {
      started: '2015-01-05',
      job: { ...SOCIAL_WORKER, roles: ['team-manager'], caseHolding: false, teamId: team },
    });
    sw = await addPerson(t.services, 'Sam Worker', { started: '2026-01-05', job: { ...SOCIAL_WORKER, teamId: team } });
    ola = await addPerson(t.services, 'Ola Colleague', {
      started: '2026-01-05',
      job: { ...SOCIAL_WORKER, teamId: team },
    });
    const wes = await addPerson(t.services, 'Wes Worker', { started: '2026-01-05' });
    const olu = await addPerson(t.services, 'Olu Other', { started: '2026-01-05' });
    await supervise(t.services, tm, sw, '2026-01-05');
    await supervise(t.services, tm, ola, '2026-01-05');
    child = await addChild(t.services, 'C1001', 'child-protection-plan', '2026-10-01', sw);
    // a second worker of the child, outside the group and its line
    const r = await t.services.children.addSpan(
      child,
      3,
      { kind: 'allocation', staffId: wes, from: '2026-11-01', to: null },
      SEED,
    );
    assert.ok(r.ok, r.ok ? '' : r.message);
    await addAccount(t.services, 'Tess Manager', 'tess@example.gov.uk', ['manager'], tm);
    await addAccount(t.services, 'Sam Worker', 'sam@example.gov.uk', ['practitioner'], sw);
    await addAccount(t.services, 'Ola Colleague', 'ola@example.gov.uk', ['practitioner'], ola);
    await addAccount(t.services, 'Wes Worker', 'wes@example.gov.uk', ['practitioner'], wes);
    await addAccount(t.services, 'Olu Other', 'olu@example.gov.uk', ['practitioner'], olu);
  });
  afterEach(async () => t.close());

  /** Tess's group holds a session about the team and records a decision about the child, with an action. */
  async function decide(): Promise<{ recordId: string; group: string }> {
    const s = await t.services.sittings.recordHeld(
      tessViewer(),
      {
        date: '2026-11-12',
        startTime: null,
        minutes: 90,
        mode: null,
        location: null,
        supervisorId: tm,
        superviseeIds: [sw, ola],
        covers: [{ kind: 'group', subjectId: team }],
      },
      SEED,
    );
    assert.ok(s.ok, s.ok ? '' : s.message);
    const recordId = (await t.services.sittings.view(tessViewer(), s.id, SEED))!.records[0]!.id;
    const group = `/records/${recordId}`;
    const tess = await client('tess@example.gov.uk', '10.42.0.1');
    const edit = await tess.get(`${group}/edit`);
    const saved = await tess.submit(
      `${group}/edit`,
      {
        version: $(edit.body)('input[name=version]').val() as string,
        focus: 'Neglect in the east of the county',
        newChildRef: 'C1001',
        newDecision: 'Hold a family group conference',
      },
      `${group}/edit`,
    );
    assert.equal(saved.statusCode, 303, errorSummary(saved.body).join('; '));
    const action = await tess.submit(`${group}/actions/new`, {
      what: 'Book the family group conference',
      ownerId: sw,
      childId: child,
    });
    assert.equal(action.statusCode, 303, errorSummary(action.body).join('; '));
    return { recordId, group };
  }

  const decisionsOn = (html: string) =>
    $(html)('#group-decisions + p + ol .app-chronology__entry')
      .map((_, e) => $(html)(e).text().replace(/\s+/g, ' ').trim())
      .get();

  test('the group’s decision and its actions are on the child’s page of those who see the child, and no one else', async () => {
    const { recordId, group } = await decide();
    // the child's worker, in the group: the decision, its action, and the whole record
    const sam = await client('sam@example.gov.uk', '10.42.0.2');
    const samPage = await sam.get(`/children/${child}`);
    assert.equal(samPage.statusCode, 200);
    const entries = decisionsOn(samPage.body);
    assert.equal(entries.length, 1, samPage.body);
    assert.match(entries[0]!, /^12 November 2026: Safeguarding East Led by Tess Manager\. Not yet shared\./);
    assert.match(entries[0]!, /Hold a family group conference/);
    assert.match(entries[0]!, /Actions agreed: Book the family group conference \(Sam Worker\)/);
    assert.doesNotMatch(entries[0]!, /Neglect/, 'not the rest of the group’s record');
    assert.equal($(samPage.body)(`#group-decisions ~ ol a[href="${group}"]`).length, 1);

    // another worker of the child, who may not read the group's record: the decision, as in the chronology, no link
    const wesC = await client('wes@example.gov.uk', '10.42.0.3');
    const wesPage = await wesC.get(`/children/${child}`);
    assert.equal(wesPage.statusCode, 200);
    assert.match(decisionsOn(wesPage.body)[0] ?? '', /Hold a family group conference/);
    assert.equal($(wesPage.body)(`a[href="${group}"]`).length, 0, 'no way into the group’s record');
    assert.equal((await wesC.get(group)).statusCode, 404);

    // in the group, so may read its record, but may not see the child: nothing of the child
    const olaC = await client('ola@example.gov.uk', '10.42.0.4');
    assert.equal((await olaC.get(group)).statusCode, 200);
    const olaPage = await olaC.get(`/children/${child}`);
    assert.equal(olaPage.statusCode, 404);
    assert.doesNotMatch(olaPage.body, /family group conference/);
    assert.equal((await olaC.get(`/children/${child}/chronology`)).statusCode, 404);

    // neither the child nor the record
    const olu = await client('olu@example.gov.uk', '10.42.0.5');
    const oluPage = await olu.get(`/children/${child}`);
    assert.equal(oluPage.statusCode, 404);
    assert.doesNotMatch(oluPage.body, /family group conference/);

    // the service gives nothing to someone who may not see the child
    const nothing = await t.services.chronology.groupDecisions(
      { userId: 'ola', roles: ['practitioner'], staffId: ola },
      child,
      SEED,
    );
    assert.deepEqual(nothing, []);

    // each showing of the group's decision is a read of its record, audited
    const reads = (await listAudit(t.db.db, 1000)).filter(
      (e) => e.action === 'read' && e.objectType === 'record' && e.objectId === recordId,
    );
    const samUser = reads.filter((e) => e.ip === '10.42.0.2');
    const wesUser = reads.filter((e) => e.ip === '10.42.0.3');
    assert.equal(samUser.length, 1);
    assert.equal(wesUser.length, 1);
  });

  test('a child’s decisions are found by an index kept with the record, and decisions written before it are indexed', async () => {
    const { recordId } = await decide();
    const indexed = () =>
      t.db.db.selectFrom('record_decisions').select(['record_id', 'child_id']).orderBy('record_id').execute();
    assert.deepEqual(await indexed(), [{ record_id: recordId, child_id: child }]);

    // as if written before the index existed: the migration fills it from the records' content
    await recordDecisions.down(t.db.db);
    await recordDecisions.up(t.db.db);
    assert.deepEqual(await indexed(), [{ record_id: recordId, child_id: child }]);
    const sam = await client('sam@example.gov.uk', '10.42.0.2');
    assert.match(decisionsOn((await sam.get(`/children/${child}`)).body)[0] ?? '', /Hold a family group conference/);
  });

  test('a child nobody in a group has discussed: said so', async () => {
    const sam = await client('sam@example.gov.uk', '10.42.0.2');
    const page = await sam.get(`/children/${child}`);
    assert.match(
      $(page.body)('#group-decisions + p').text(),
      /Group supervision has made no decision about this child/,
    );
  });
});
