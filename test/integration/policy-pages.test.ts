import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describeEachDatabase, test } from '../helpers/databases.ts';
import {
  buildTestApp,
  Client,
  errorSummary,
  inviteUser,
  setUpAndSignIn,
  signIn,
  $,
  type TestApp,
} from '../helpers/app.ts';

const preset = readFileSync(
  join(import.meta.dirname, '..', '..', 'src', 'policy', 'presets', 'systemic-4x4x4.yaml'),
  'utf8',
);

describeEachDatabase('policy pages', (database) => {
  let t: TestApp;
  let admin: Client;
  before(async () => {
    t = await buildTestApp(database);
    admin = await setUpAndSignIn(t); // chooses gloucestershire
  });
  after(async () => t.close());

  test('anyone signed in reads the authority’s policy: each rule, its section and the policy’s words', async () => {
    await inviteUser(
      admin,
      t.app,
      { name: 'Pat', email: 'pat@example.gov.uk', roles: ['practitioner'], staffId: '' },
      'a sensible long passphrase',
    );
    const pat = new Client(t.app, '10.0.0.9');
    await signIn(pat, 'pat@example.gov.uk', 'a sensible long passphrase');
    const res = await pat.get('/policy');
    assert.equal(res.statusCode, 200);
    const q = $(res.body);
    assert.match(q('dl').first().text(), /Gloucestershire/);
    const rules = q('.app-rule')
      .map((_, el) => q(el).text().replace(/\s+/g, ' ').trim())
      .get();
    const cp = rules.find((r) => r.includes('gloucestershire:4.1.2'));
    assert.ok(cp, 'the CP rule is listed');
    assert.match(cp, /Section 4\.1\.2/);
    assert.match(cp, /every 4 weeks/);
    assert.match(cp, /four weekly basis/);
    assert.doesNotMatch(res.body, /Check a policy pack/, 'only administrators check packs');
    assert.equal((await pat.get('/policy/check')).statusCode, 403);
  });

  test('checking a pasted pack: errors name the line, path and expectation; a valid pack is summarised', async () => {
    const empty = await admin.submit('/policy/check', { pack: '  ' });
    assert.equal(empty.statusCode, 400);
    assert.deepEqual(errorSummary(empty.body), ['Paste the policy pack to check']);

    const broken = preset.replace('unit: months', 'unit: moons');
    const bad = await admin.submit('/policy/check', { pack: broken });
    assert.equal(bad.statusCode, 400);
    const errors = errorSummary(bad.body);
    assert.ok(errors.length >= 1);
    assert.match(errors[0]!, /^Line \d+: rules\[\d+\]\.every\.unit: /);
    assert.match(errors[0]!, /moons/);
    assert.equal($(bad.body)('#pack').text(), broken, 'the pasted text is kept');

    const garbage = await admin.submit('/policy/check', { pack: 'rules: [unclosed' });
    assert.equal(garbage.statusCode, 400);

    const ok = await admin.submit('/policy/check', { pack: preset });
    assert.equal(ok.statusCode, 200);
    assert.match(ok.body, /This policy pack is valid/);
    assert.match(ok.body, /systemic-4x4x4:8/);
  });
});
