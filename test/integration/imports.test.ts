// Importing CSV files in the web app: checked first with every problem listed, previewed, then confirmed.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describeEachDatabase, test } from '../helpers/databases.ts';
import { buildTestApp, Client, errorSummary, setUpAndSignIn, signIn, $, type TestApp } from '../helpers/app.ts';
import { SEED, createUserWithPassword } from '../helpers/factories.ts';

/** Posts a multipart form as a browser does: the page's CSRF token, the fields, and one file. */
async function upload(c: Client, fields: Record<string, string>, file?: { name: string; content: string | Buffer }) {
  const page = await c.get('/imports');
  const token = $(page.body)('input[name=_csrf]').val() as string;
  const boundary = '----supervise-test-boundary';
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries({ _csrf: token, ...fields })) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  }
  if (file) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: text/csv\r\n\r\n`,
      ),
      Buffer.isBuffer(file.content) ? file.content : Buffer.from(file.content),
      Buffer.from('\r\n'),
    );
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  const cookie = [...c.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  return c['app'].inject({
    method: 'POST',
    url: '/imports',
    headers: { cookie, 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload: Buffer.concat(parts),
    remoteAddress: c.ip,
  });
}

describeEachDatabase('CSV imports in the web app', (database) => {
  let t: TestApp;
  let admin: Client;
  beforeEach(async () => {
    t = await buildTestApp(database);
    admin = await setUpAndSignIn(t);
  });
  afterEach(async () => t.close());

  test('a good file is previewed, imported on confirmation, and a second time changes nothing', async () => {
    const csv = 'id,name,service\nT1,Safeguarding East,Safeguarding\nT2,Children in Care West,Children in Care\n';
    const res = await upload(admin, { kind: 'teams' }, { name: 'teams.csv', content: csv });
    assert.equal(res.statusCode, 303);
    const preview = await admin.get(String(res.headers.location));
    assert.equal(preview.statusCode, 200);
    const q = $(preview.body);
    assert.match(q('h1').text(), /Check what will change/);
    assert.match(q('dl').text(), /To add\s*2/);
    assert.match(q('main').text(), /T1, T2/);
    assert.equal((await t.services.organisation.structure()).teams.length, 0, 'nothing written before confirming');
    const done = await admin.submit(String(res.headers.location), {});
    assert.equal(done.statusCode, 303);
    const after = await admin.get(String(done.headers.location));
    assert.match($(after.body)('.govuk-notification-banner').text(), /The file was imported/);
    assert.equal((await t.services.organisation.structure()).teams.length, 2);
    // confirming twice imports once
    const again = await admin.submit(String(res.headers.location), {});
    assert.equal(again.statusCode, 303);
    const second = await upload(admin, { kind: 'teams' }, { name: 'teams.csv', content: csv });
    const secondPreview = await admin.get(String(second.headers.location));
    assert.match($(secondPreview.body)('main').text(), /nothing to import/);
  });

  test('a bad file lists every problem with its row and column, and imports nothing', async () => {
    const csv = 'id,name,service\nT1,,Safeguarding\nT1,East,Safeguarding\n,West,\n';
    const res = await upload(admin, { kind: 'teams' }, { name: 'teams.csv', content: csv });
    assert.equal(res.statusCode, 400);
    assert.deepEqual(errorSummary(res.body), ['The file has 4 problems: nothing was imported. See the list below']);
    const rows = $(res.body)('#problems + table tbody tr')
      .map((_, tr) => $(res.body)(tr).text().replace(/\s+/g, ' ').trim())
      .get();
    assert.deepEqual(rows, [
      '2 name is empty: a value is required',
      '3 id "T1" is repeated (also row 2)',
      '4 id is empty: a value is required',
      '4 service is empty: a value is required',
    ]);
    assert.equal((await t.services.organisation.structure()).teams.length, 0);
  });

  test('the form’s own errors: no kind, no file, not a CSV, not UTF-8', async () => {
    const none = await upload(admin, {});
    assert.equal(none.statusCode, 400);
    assert.deepEqual(errorSummary(none.body), ['Select what the file holds', 'Select a CSV file']);
    const notCsv = await upload(admin, { kind: 'teams' }, { name: 'teams.xlsx', content: 'PK...' });
    assert.deepEqual(errorSummary(notCsv.body), ['The selected file must be a CSV']);
    const latin1 = await upload(
      admin,
      { kind: 'teams' },
      { name: 't.csv', content: Buffer.from([0x69, 0x64, 0x0a, 0xe9, 0x0a]) },
    );
    assert.deepEqual(errorSummary(latin1.body), ['The file must be saved as CSV UTF-8']);
    assert.equal($(notCsv.body)('#kind').attr('checked'), 'checked', 'the choice is kept');
  });

  test('only record keepers import; an upload is seen only by the person who made it', async () => {
    const res = await upload(admin, { kind: 'teams' }, { name: 'teams.csv', content: 'id,name,service\nT1,East,S\n' });
    const path = String(res.headers.location);
    for (const [email, roles, status] of [
      ['bea@example.gov.uk', ['business-support'], 404],
      ['pat@example.gov.uk', ['practitioner'], 403],
    ] as const) {
      const made = await createUserWithPassword(
        t.services,
        {
          name: email,
          email,
          roles: [...roles],
          staffId: null,
          password: 'a sensible long passphrase',
        },
        SEED,
      );
      assert.ok(made.ok);
      const c = new Client(t.app, '10.8.0.2');
      await signIn(c, email, 'a sensible long passphrase');
      assert.equal((await c.get(path)).statusCode, status, `${email} on someone else's upload`);
      assert.equal((await c.get('/imports')).statusCode, status === 404 ? 200 : 403);
    }
  });
});
