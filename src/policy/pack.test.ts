import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { formatErrors, type PolicyError } from './errors.ts';
import { parsePolicyPack } from './pack-text.ts';
import { versionInForce } from './pack.ts';
import { describePack } from './describe.ts';
import { loadPreset, presetText } from './presets.ts';
import { caseSession, child, facts, only, pick, run } from './testkit.ts';

const PACK = `id: test-pack
name: Test pack
version: "1"
effectiveFrom: "2026-01-01"
rules:
  - id: cp
    section: "2.1"
    quote: "Four weekly for children on a plan."
    requirement: case-supervision
    kind: interval
    subjects: { type: child, status: [child-protection-plan] }
    every: { count: 4, unit: weeks }
  - id: cin
    section: "2.2"
    quote: "Eight weekly."
    requirement: case-supervision
    kind: interval
    subjects: { type: child, status: [child-in-need] }
    every:
      count: 8
      unit: weeks
`;

function errorsOf(text: string, file = 'pack.yaml'): PolicyError[] {
  const r = parsePolicyPack(text, file);
  assert.equal(r.ok, false, 'expected the pack to be rejected');
  return r.ok ? [] : r.errors;
}

describe('parsePolicyPack: valid packs', () => {
  test('a small YAML pack', () => {
    const r = parsePolicyPack(PACK, 'pack.yaml');
    assert.ok(r.ok);
    assert.equal(r.pack.id, 'test-pack');
    assert.equal(r.pack.versions.length, 1);
    assert.equal(r.pack.versions[0]!.rules.length, 2);
    assert.deepEqual(r.pack.versions[0]!.satisfiedBy['case-supervision'], ['case']);
  });

  test('JSON is YAML too', () => {
    const r = parsePolicyPack(PACK, 'x.yaml');
    assert.ok(r.ok);
    const json = JSON.stringify({
      id: 'j',
      name: 'J',
      version: '1',
      effectiveFrom: '2026-01-01',
      rules: r.pack.versions[0]!.rules,
    });
    const j = parsePolicyPack(json, 'pack.json');
    assert.ok(j.ok);
    assert.deepEqual(j.pack.versions[0]!.rules, r.pack.versions[0]!.rules);
  });

  test('both presets are valid and every rule cites a section and quotes the policy', () => {
    for (const id of ['gloucestershire', 'systemic-4x4x4']) {
      const p = loadPreset(id);
      for (const r of p.versions[0]!.rules) {
        assert.ok(r.section.length > 0 && r.quote.length > 10, `${id} ${r.id}`);
      }
    }
  });
});

describe('parsePolicyPack: errors name the file, the path, the line and what was expected', () => {
  test('a wrong unit: rules[1].every.unit on line 21', () => {
    const errs = errorsOf(
      PACK.replace('unit: weeks\n`', 'unit: fortnights\n`').replace('      unit: weeks', '      unit: fortnights'),
    );
    assert.equal(errs.length, 1);
    assert.deepEqual(errs[0], {
      file: 'pack.yaml',
      path: 'rules[1].every.unit',
      line: 21,
      message: 'expected one of: days, weeks, months, years, working-days; got "fortnights"',
    });
    assert.equal(
      formatErrors(errs),
      'pack.yaml, line 21: rules[1].every.unit: expected one of: days, weeks, months, years, working-days; got "fortnights"',
    );
  });

  test('a missing section and an unknown field', () => {
    const errs = errorsOf(
      PACK.replace('    section: "2.1"\n', '').replace('    every: { count: 4', '    evry: { count: 4'),
    );
    const byPath = Object.fromEntries(errs.map((e) => [e.path, e]));
    assert.equal(byPath['rules[0].section']?.message, 'is required: expected text');
    assert.equal(byPath['rules[0].section']?.line, 6);
    assert.equal(byPath['rules[0].evry']?.message, 'unknown field "evry"');
    assert.equal(byPath['rules[0].evry']?.line, 11);
    assert.ok(byPath['rules[0].every'], 'every is missing too');
  });

  test('a section written as a number is refused with a hint', () => {
    const errs = errorsOf(PACK.replace('section: "2.1"', 'section: 2.1'));
    assert.equal(errs[0]!.path, 'rules[0].section');
    assert.match(errs[0]!.message, /expected text, got 2\.1 \(put quotes round numbers/);
  });

  test('an unknown rule kind names the kinds', () => {
    const errs = errorsOf(
      PACK.replace(
        'kind: interval\n    subjects: { type: child, status: [child-in-need] }',
        'kind: sometimes\n    subjects: { type: child, status: [child-in-need] }',
      ),
    );
    assert.equal(errs[0]!.path, 'rules[1].kind');
    assert.equal(errs[0]!.line, 17);
    assert.match(
      errs[0]!.message,
      /expected kind to be one of: interval, staged, checkpoints, quota, deadline; got "sometimes"/,
    );
  });

  test('an impossible date', () => {
    const errs = errorsOf(PACK.replace('effectiveFrom: "2026-01-01"', 'effectiveFrom: "2026-02-30"'));
    assert.deepEqual(
      [errs[0]!.path, errs[0]!.line, errs[0]!.message],
      ['effectiveFrom', 4, 'expected a real calendar date written YYYY-MM-DD, got "2026-02-30"'],
    );
  });

  test('duplicate rule ids, and a requirement about another kind of subject', () => {
    const errs = errorsOf(
      PACK.replace('  - id: cin', '  - id: cp').replace(
        'requirement: case-supervision\n    kind: interval\n    subjects: { type: child, status: [child-in-need] }',
        'requirement: observation\n    kind: interval\n    subjects: { type: child, status: [child-in-need] }',
      ),
    );
    assert.deepEqual(
      errs.map((e) => [e.path, e.line]),
      [
        ['rules[1].id', 13],
        ['rules[1].subjects.type', 18],
      ],
    );
    assert.match(errs[0]!.message, /duplicate rule id "cp" \(also rules\[0\]\)/);
    assert.match(errs[1]!.message, /expected "staff": requirement observation is about a staff, got "child"/);
  });

  test('perRelationship: true or false, and only for staff', () => {
    const agreement = [
      '  - id: agreement',
      '    section: "12"',
      '    quote: "Reviewed annually."',
      '    requirement: agreement-review',
      '    kind: interval',
      '    subjects: { type: staff, perRelationship: yes }',
      '    every: { count: 12, unit: months }',
    ].join('\n');
    const errs = errorsOf(`${PACK}${agreement}\n`);
    assert.deepEqual(
      errs.map((e) => [e.path, e.line, e.message]),
      [['rules[2].subjects.perRelationship', 27, 'expected true or false, got "yes"']],
    );
    const onChild = errorsOf(
      PACK.replace('status: [child-in-need] }', 'status: [child-in-need], perRelationship: true }'),
    );
    assert.deepEqual(
      onChild.map((e) => [e.path, e.message]),
      [['rules[1].subjects.perRelationship', 'unknown field "perRelationship"']],
    );
    assert.ok(parsePolicyPack(`${PACK}${agreement.replace('yes', 'true')}\n`, 'pack.yaml').ok);
  });

  test('YAML that does not parse: the line of the problem', () => {
    const errs = errorsOf('id: x\nname: [unclosed\nversion: "1"\n');
    assert.equal(errs[0]!.file, 'pack.yaml');
    assert.equal(typeof errs[0]!.line, 'number');
    assert.match(errs[0]!.message, /is not valid YAML/);
  });

  test('not a mapping at all', () => {
    assert.match(errorsOf('- just\n- a list\n')[0]!.message, /expected a policy pack/);
  });

  test('a broken preset unit is found at its line', () => {
    const text = presetText('gloucestershire');
    const broken = text.replace('every: { count: 4, unit: weeks }', 'every: { count: 4, unit: fortnights }');
    const errs = errorsOf(broken, 'glos.yaml');
    const line = text.split('\n').findIndex((l) => l.includes('every: { count: 4, unit: weeks }')) + 1;
    assert.deepEqual([errs[0]!.path, errs[0]!.line], ['rules[0].every.unit', line]);
  });
});

const VERSIONED = `id: versioned
name: Versioned pack
versions:
  - version: "2025"
    effectiveFrom: "2025-01-01"
    rules:
      - id: cin
        section: "4"
        quote: "Eight weekly."
        requirement: case-supervision
        kind: interval
        subjects: { type: child, status: [child-in-need] }
        every: { count: 8, unit: weeks }
  - version: "2026"
    effectiveFrom: "2026-04-01"
    supersedes: "2025"
    rules:
      - id: cin
        section: "4"
        quote: "Four weekly."
        requirement: case-supervision
        kind: interval
        subjects: { type: child, status: [child-in-need] }
        every: { count: 4, unit: weeks }
`;

describe('several versions in one pack', () => {
  test('the version in force on the day applies; history is judged under the version then in force', () => {
    const r = parsePolicyPack(VERSIONED, 'v.yaml');
    assert.ok(r.ok);
    assert.equal(versionInForce(r.pack, '2026-03-31').version, '2025');
    assert.equal(versionInForce(r.pack, '2026-04-01').version, '2026');
    const f = facts({
      children: [child('C1', [['child-in-need', '2025-01-06']])],
      sessions: [caseSession('C1', '2026-01-05'), caseSession('C1', '2026-03-20')],
    });
    // on 25 March the 2026 version is already known: 20 March + 8 weeks (15 May) falls after it takes
    // effect, so the 4-weekly version judges: 20 March + 4 weeks = 17 April
    const before = only(run(r.pack, f, '2026-03-25'), 'case-supervision');
    assert.deepEqual([before.due, before.policyVersion], ['2026-04-17', '2026']);
    const after = run(r.pack, f, '2026-04-20', { history: true });
    const list = pick(after, 'case-supervision');
    // under the 2025 version (8-weekly) the one due on 2 March 2026 was held late, on 20 March;
    // from April the 4-weekly version judges: 4 weeks after 20 March, 17 April, overdue
    assert.deepEqual(
      list.filter((o) => o.due >= '2026-01-01').map((o) => [o.due, o.status, o.policyVersion]),
      [
        ['2026-03-02', 'late', '2025'],
        ['2026-04-17', 'overdue', '2026'],
      ],
    );
  });

  test('a version must supersede one that exists and starts earlier', () => {
    const errs = errorsOf(VERSIONED.replace('supersedes: "2025"', 'supersedes: "2024"'));
    assert.deepEqual([errs[0]!.path, errs[0]!.line], ['versions[1].supersedes', 16]);
  });
});

describe('describePack', () => {
  test('prints each rule in plain English with its section and quote', () => {
    const text = describePack(loadPreset('gloucestershire'));
    assert.match(
      text,
      /gloucestershire:4\.1\.2 \(cp-plan\) Child protection plan: case supervision at least every 4 weeks/,
    );
    assert.match(text, /Open case: a case discussion within 5 days of each allocation or transfer/);
    assert.match(text, /Case-holding staff: at least 2 practice observations each year from 1 April/);
    assert.match(text, /Every case supervision session: to be recorded within 1 working day of the session\./);
    assert.match(text, /Resolution: The stricter reading applies: within 5 days/);
    const other = describePack(loadPreset('systemic-4x4x4'));
    assert.match(
      other,
      /ASYE: professional supervision, counted from the start: weeks 0 to 6 \(from the start until 6 weeks\): at least every week/,
    );
    assert.match(
      other,
      /Staff: a supervision agreement at least every 12 months; the first at the start of each supervisory relationship, then 12 months after the last one\./,
    );
  });
});

test('YAML merge keys let a rule reuse another and override some fields', () => {
  const text = [
    'id: mergetest',
    'name: Merge test',
    'version: "1"',
    'effectiveFrom: "2026-01-01"',
    'rules:',
    '  - &base',
    '    id: cp-plan',
    '    section: "4.1.2"',
    '    quote: "four weekly"',
    '    requirement: case-supervision',
    '    kind: interval',
    '    subjects: { type: child, status: [child-protection-plan] }',
    '    every: { count: 4, unit: weeks }',
    '  - <<: *base',
    '    id: cin',
    '    section: "4.1.4"',
    '    subjects: { type: child, status: [child-in-need] }',
    '    every: { count: 8, unit: weeks }',
  ].join('\n');
  const res = parsePolicyPack(text, 'merge.yaml');
  assert.ok(res.ok, res.ok ? '' : JSON.stringify(res.errors));
  const [a, b] = res.pack.versions[0]!.rules as Array<{ id: string; quote: string; every: { count: number } }>;
  assert.equal(a!.id, 'cp-plan');
  assert.equal(b!.id, 'cin');
  assert.equal(b!.quote, 'four weekly', 'taken from the merged rule');
  assert.equal(b!.every.count, 8, 'overridden');
});

test('a deadline rule that gives satisfiedBy or minMinutes is refused: a deadline follows subjects.kinds', () => {
  const deadline = [
    '  - id: rec',
    '    section: "6"',
    '    quote: "Recorded within two days."',
    '    requirement: recording',
    '    kind: deadline',
    '    subjects: { type: session, kinds: [case] }',
    '    within: { count: 2, unit: days }',
    '    fields: [recorded]',
    '    satisfiedBy: [case, management-oversight]',
    '    minMinutes: 30',
  ].join('\n');
  const errs = errorsOf(`${PACK}${deadline}\n`);
  assert.deepEqual(
    errs.map((e) => [e.path, e.line, e.message]),
    [
      [
        'rules[2].satisfiedBy',
        30,
        'not possible on a deadline rule: a deadline applies to the session kinds in subjects.kinds',
      ],
      ['rules[2].minMinutes', 31, 'not possible on a deadline rule: a deadline applies to every session of its kinds'],
    ],
  );
  const without = deadline.split('\n').slice(0, -2).join('\n');
  assert.ok(parsePolicyPack(`${PACK}${without}\n`, 'pack.yaml').ok);
});

test('heldBy: roles from the vocabulary, refused on a deadline, and shown by policy show', () => {
  const held = PACK.replace(
    '    every: { count: 4, unit: weeks }\n',
    '    every: { count: 4, unit: weeks }\n    heldBy: [team-manager]\n',
  );
  const r = parsePolicyPack(held, 'pack.yaml');
  assert.ok(r.ok);
  assert.match(describePack(r.pack), /Met by: case supervision sessions held by the team manager\./);
  const bad = errorsOf(held.replace('heldBy: [team-manager]', 'heldBy: [manager]'));
  assert.deepEqual(
    bad.map((e) => e.path),
    ['rules[0].heldBy[0]'],
  );
  const deadline = [
    '  - id: rec',
    '    section: "6"',
    '    quote: "Recorded within two days."',
    '    requirement: recording',
    '    kind: deadline',
    '    subjects: { type: session, kinds: [case] }',
    '    within: { count: 2, unit: days }',
    '    fields: [recorded]',
    '    heldBy: [team-manager]',
  ].join('\n');
  assert.deepEqual(
    errorsOf(`${PACK}${deadline}\n`).map((e) => e.path),
    ['rules[2].heldBy'],
  );
});

test('proRata only for staff quotas by month or year; employment from its vocabulary', () => {
  const quota = (subjects: string, per = 'per: year') =>
    [
      '  - id: q',
      '    section: "9"',
      '    quote: "Ten a year, pro rata."',
      `    requirement: ${subjects.includes('child') ? 'case-supervision' : 'professional-supervision'}`,
      '    kind: quota',
      `    subjects: ${subjects}`,
      '    required: 10',
      `    ${per}`,
      ...(per === 'per: rolling' ? ['    over: { count: 12, unit: months }'] : []),
      '    proRata: true',
    ].join('\n');
  assert.ok(parsePolicyPack(`${PACK}${quota('{ type: staff, employment: [agency] }')}\n`, 'pack.yaml').ok);
  assert.deepEqual(
    errorsOf(`${PACK}${quota('{ type: child }')}\n`).map((e) => [e.path, e.message]),
    [['rules[2].proRata', 'only possible for staff: it scales by working hours']],
  );
  assert.deepEqual(
    errorsOf(`${PACK}${quota('{ type: staff }', 'per: rolling')}\n`).map((e) => [e.path, e.message]),
    [['rules[2].proRata', 'only possible with per: month or per: year']],
  );
  assert.deepEqual(
    errorsOf(`${PACK}${quota('{ type: staff, employment: [locum] }')}\n`).map((e) => e.path),
    ['rules[2].subjects.employment[0]'],
  );
});
