// The record page says whether the record met the policy's deadlines for recording and sharing it, on SQLite and
// PostgreSQL: on time or late once done, due or overdue until then; nothing for a kind the policy sets none for.
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
  setUpAuthority,
  supervise,
} from '../helpers/factories.ts';
import type { RecordKind } from '../../src/records/templates.ts';

for (const preset of ['systemic-4x4x4', 'gloucestershire'] as const) {
  describeEachDatabase(`record deadlines on the record page (${preset})`, (database) => {
    let t: TestApp;
    let tess: Client;
    let tm: string;
    let sw: string;
    let child: string;
    const tessViewer = () => ({ userId: 'tess', roles: ['manager' as const], staffId: tm });

    beforeEach(async () => {
      t = await buildTestApp(database);
      await setUpAuthority(t.services, preset);
      tm = await addPerson(t.services, 'Tess Manager', {
        started: '2015-01-05',
        job: { ...SOCIAL_WORKER, roles: ['team-manager'], caseHolding: false },
      });
      sw = await addPerson(t.services, 'Sam Worker', { started: '2026-01-05' });
      await supervise(t.services, tm, sw, '2026-01-05');
      child = await addChild(t.services, 'C1001', 'child-protection-plan', '2026-10-01', sw);
      await addAccount(t.services, 'Tess Manager', 'tess@example.gov.uk', ['manager'], tm);
      tess = new Client(t.app, '10.44.0.1');
      await signIn(tess, 'tess@example.gov.uk', ACCOUNT_PASSWORD);
    });
    afterEach(async () => t.close());

    /** A held sitting on a day with one record; returns its path. */
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

    /** Writes and shares a record today (Monday 23 November 2026). */
    async function writeAndShare(record: string, fields: Record<string, string>) {
      const edit = await tess.get(`${record}/edit`);
      const saved = await tess.submit(
        `${record}/edit`,
        { version: $(edit.body)('input[name=version]').val() as string, ...fields },
        `${record}/edit`,
      );
      assert.equal(saved.statusCode, 303, errorSummary(saved.body).join('; '));
      const page = await tess.get(record);
      const shared = await tess.submit(
        `${record}/share`,
        { version: $(page.body)('form[action$="/share"] input[name=version]').val() as string },
        record,
      );
      assert.equal(shared.statusCode, 303, errorSummary(shared.body).join('; '));
    }

    const deadlines = async (record: string) => {
      const q = $((await tess.get(record)).body);
      return q('#deadlines + ul li')
        .map((_, li) => q(li).text().replace(/\s+/g, ' ').trim())
        .get();
    };

    test('recorded and shared on time, or late; not yet, due or overdue', async () => {
      const onTime = await recordOn('2026-11-20', 'case', child); // Friday: today is the first working day after
      const late = await recordOn('2026-11-09', 'case', child);
      const pending = await recordOn('2026-11-20', 'case', child);
      const overdue = await recordOn('2026-11-09', 'case', child);
      await writeAndShare(onTime, { story: 'Met Jo at school.' });
      await writeAndShare(late, { story: 'Met Jo at home.' });
      if (preset === 'systemic-4x4x4') {
        assert.deepEqual(await deadlines(onTime), [
          'On time Recorded on time: 1 working day after the session (deadline 5 working days, by 27 November 2026). Policy section 9.',
          'On time Shared on time: 1 working day after the session (deadline 5 working days, by 27 November 2026). Policy section 9.',
        ]);
        assert.deepEqual(await deadlines(late), [
          'Late Recorded late: 10 working days after the session (deadline 5 working days, by 16 November 2026). Policy section 9.',
          'Late Shared late: 10 working days after the session (deadline 5 working days, by 16 November 2026). Policy section 9.',
        ]);
        assert.deepEqual(await deadlines(pending), [
          'Due Not yet recorded: to be recorded by 27 November 2026 (5 working days after the session). Policy section 9.',
          'Due Not yet shared: to be shared by 27 November 2026 (5 working days after the session). Policy section 9.',
        ]);
        assert.match(
          (await deadlines(overdue))[0]!,
          /^Overdue Not yet recorded, and late: the deadline was 16 November/,
        );
      } else {
        assert.deepEqual(await deadlines(onTime), [
          'On time Recorded on time: 1 working day after the session (deadline 1 working day, by 23 November 2026). Policy section 4.3.',
        ]);
        assert.deepEqual(await deadlines(late), [
          'Late Recorded late: 10 working days after the session (deadline 1 working day, by 10 November 2026). Policy section 4.3.',
        ]);
        assert.deepEqual(await deadlines(pending), [
          'Due Not yet recorded: to be recorded by 23 November 2026 (1 working day after the session). Policy section 4.3.',
        ]);
        assert.match(
          (await deadlines(overdue))[0]!,
          /^Overdue Not yet recorded, and late: the deadline was 10 November/,
        );
      }
    });

    test('no deadline section for a kind of record the policy sets no deadline for', async () => {
      const group = await recordOn('2026-11-20', 'oversight', child);
      assert.deepEqual(await deadlines(group), []);
      assert.equal($((await tess.get(group)).body)('#deadlines').length, 0);
    });
  });
}
