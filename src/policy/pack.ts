/**
 * Policy packs: an authority's supervision policy as data (YAML or JSON, read by pack-text.ts), validated with zod.
 * See describe.ts for the plain-English rendering and presets/*.yaml for two complete examples.
 *
 * A pack holds one version (fields `version`, `effectiveFrom`, `rules` at the top level) or several
 * (`versions: [...]`, each with its own `version`, `effectiveFrom`, `rules`); `closureDays`,
 * `satisfiedBy` and `notes` at the top level are shared by every version.
 */
import { z } from 'zod';
import { approxDays, parseDay, type Day } from './dates.ts';
import { describeValue, formatPath, issuesToErrors, type PathSegment, type PolicyError } from './errors.ts';
import {
  EMPLOYMENT,
  FLAGS,
  REQUIREMENTS,
  ROLES,
  SESSION_KINDS,
  STATUSES,
  SUBJECT_OF,
  type Requirement,
  type SessionKind,
} from './vocabulary.ts';

const isoDate = z.string().refine((s) => parseDay(s) !== null, {
  error: (iss) => `expected a real calendar date written YYYY-MM-DD, got ${describeValue(iss.input)}`,
});

const UNITS = ['days', 'weeks', 'months', 'years', 'working-days'] as const;

const interval = z.strictObject({ count: z.number().int().min(1), unit: z.enum(UNITS) });
/** An interval that may be zero ("at the start", "at the time"). */
const intervalOrZero = z.strictObject({ count: z.number().int().min(0), unit: z.enum(UNITS) });

const childSubjects = z.strictObject({
  type: z.literal('child'),
  /** Any of these statuses open; absent = any open status. */
  status: z.array(z.enum(STATUSES)).min(1).optional(),
  /** All of these flags set. */
  withFlags: z.array(z.enum(FLAGS)).min(1).optional(),
  /** None of these flags set. */
  withoutFlags: z.array(z.enum(FLAGS)).min(1).optional(),
  /** No status other than those listed is open ("no other involvement", "no other concerns"). */
  exclusive: z.boolean().optional(),
  /** true: the child has an allocated worker on the day; false: nobody is allocated (an unallocated case). */
  allocated: z.boolean().optional(),
});

const STAGE_NAME = z
  .string()
  .regex(
    /^[a-z0-9]+(-[a-z0-9]+)*$/,
    'expected a stage name of lower case letters, digits and hyphens, like four-weekly',
  );

const staffSubjects = z.strictObject({
  type: z.literal('staff'),
  /** Any of these roles; absent = any role. */
  roles: z.array(z.enum(ROLES)).min(1).optional(),
  /** None of these roles. */
  withoutRoles: z.array(z.enum(ROLES)).min(1).optional(),
  caseHolding: z.boolean().optional(),
  /** Any of these kinds of employment, in the person's period on the day (absent in the facts: employee). */
  employment: z.array(z.enum(EMPLOYMENT)).min(1).optional(),
  /** In the ASYE (asyeStarted set): the rule applies from the ASYE start. */
  asye: z.boolean().optional(),
  /** New to statutory work (newToStatutoryWork set): the rule applies from that date. */
  newToStatutoryWork: z.boolean().optional(),
  /** In any of these manager-set supervision stages, in the person's period on the day. */
  stages: z.array(STAGE_NAME).min(1).optional(),
  /** In none of these manager-set stages (no stage set counts as none). */
  withoutStages: z.array(STAGE_NAME).min(1).optional(),
  /** Line managers of staff with any of these roles: on the days they supervised one of them. */
  managerOf: z.array(z.enum(ROLES)).min(1).optional(),
  /** While the person has a supervisor, beginning afresh with each supervisory relationship. */
  perRelationship: z.boolean().optional(),
});

const teamSubjects = z.strictObject({ type: z.literal('team') });

const sessionSubjects = z.strictObject({
  type: z.literal('session'),
  /** The session kinds the deadline applies to. */
  kinds: z.array(z.enum(SESSION_KINDS)).min(1),
});

const subjects = z.discriminatedUnion('type', [childSubjects, staffSubjects, teamSubjects, sessionSubjects]);

const ruleBase = {
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, { error: 'expected an id of lower-case letters, digits and hyphens' }),
  /** The section of the policy the rule comes from, e.g. "4.1.2". */
  section: z.string().min(1),
  /** The policy's own words. */
  quote: z.string().min(1),
  requirement: z.enum(REQUIREMENTS),
  subjects,
  /** Who the rule is about, in plain English ("Child protection plan"); derived when absent. */
  label: z.string().min(1).optional(),
  /** Session kinds that satisfy this rule; defaults to the pack's `satisfiedBy` for the requirement. */
  satisfiedBy: z.array(z.enum(SESSION_KINDS)).min(1).optional(),
  /** Sessions shorter than this (when their length is known) do not count. */
  minMinutes: z.number().int().min(1).optional(),
  /** Only sessions held by someone with one of these roles on the day count ("by the team manager"). */
  heldBy: z.array(z.enum(ROLES)).min(1).optional(),
  /** The id of a note (contradiction resolved, interpretation) that applies to this rule. */
  note: z.string().optional(),
};

const intervalRule = z.strictObject({
  ...ruleBase,
  kind: z.literal('interval'),
  every: interval,
  /** When the first one is due, counted from the start (default: `every`). `{count: 0}` = at the start. */
  firstDue: intervalOrZero.optional(),
});

const stagedRule = z.strictObject({
  ...ruleBase,
  kind: z.literal('staged'),
  stages: z
    .array(
      z.strictObject({
        /** The stage lasts until this long after the start; absent on the last stage = no end. */
        until: interval.optional(),
        every: interval,
        label: z.string().optional(),
      }),
    )
    .min(1),
});

const checkpointRule = z.strictObject({
  ...ruleBase,
  kind: z.literal('checkpoints'),
  from: z.strictObject({
    /** status-start: the start of each period in which the subjects selection holds; allocation: each allocation or transfer. */
    event: z.enum(['status-start', 'allocation']),
    /** Further steps from the event to the anchor, e.g. [3 months, 6 months] for the month-9 review conference. */
    then: z.array(interval).optional(),
    /** What the anchor is, in plain English ("the month-9 review child protection conference"). */
    label: z.string().optional(),
  }),
  checkpoints: z
    .array(
      z.strictObject({
        after: intervalOrZero.optional(),
        before: interval.optional(),
        label: z.string().optional(),
      }),
    )
    .min(1),
  /** Only while the status (or allocation) is still open on the checkpoint's due date. */
  ifStillOpen: z.boolean().optional(),
  /** The session must include the allocated worker (allocation events only). */
  withAllocatedWorker: z.boolean().optional(),
});

const quotaRule = z.strictObject({
  ...ruleBase,
  kind: z.literal('quota'),
  required: z.number().int().min(1),
  /** Each calendar month, each year, or `rolling`: in any window of length `over` ("10 in any 12 months"). */
  per: z.enum(['month', 'year', 'rolling']),
  /** With `per: rolling` only: the length of the window. */
  over: interval.optional(),
  /** Staff only: `required` scaled by the person's working hours (a fraction of full time) over the period. */
  proRata: z.boolean().optional(),
  /** First day of the year for `per: year`, as MM-DD (default 01-01; 04-01 for April to March). */
  yearStarts: z
    .string()
    .regex(/^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$/, {
      error: 'expected a month and day written MM-DD, e.g. 04-01',
    })
    .optional(),
});

const deadlineRule = z.strictObject({
  ...ruleBase,
  kind: z.literal('deadline'),
  within: intervalOrZero,
  /** Which of the session's dates must fall within the deadline. */
  fields: z.array(z.enum(['recorded', 'shared'])).min(1),
});

const rule = z.discriminatedUnion('kind', [intervalRule, stagedRule, checkpointRule, quotaRule, deadlineRule]);

const closureDay = z.union([isoDate, z.strictObject({ date: isoDate, reason: z.string().optional() })]);

const note = z.strictObject({
  id: z.string().min(1),
  sections: z.array(z.string()).optional(),
  text: z.string().min(1),
  resolution: z.string().optional(),
});

const satisfiedBy = z.strictObject(
  Object.fromEntries(REQUIREMENTS.map((r) => [r, z.array(z.enum(SESSION_KINDS)).optional()])) as Record<
    Requirement,
    z.ZodOptional<z.ZodArray<z.ZodEnum<{ [K in SessionKind]: K }>>>
  >,
);

const versionFields = {
  version: z.string().min(1),
  effectiveFrom: isoDate,
  supersedes: z.string().optional(),
  source: z.string().optional(),
  closureDays: z.array(closureDay).optional(),
  satisfiedBy: satisfiedBy.optional(),
  notes: z.array(note).optional(),
  rules: z.array(rule).min(1),
};

const packSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, { error: 'expected an id of lower-case letters, digits and hyphens' }),
  name: z.string().min(1),
  source: z.string().optional(),
  description: z.string().optional(),
  closureDays: z.array(closureDay).optional(),
  satisfiedBy: satisfiedBy.optional(),
  notes: z.array(note).optional(),
  version: versionFields.version.optional(),
  effectiveFrom: isoDate.optional(),
  supersedes: z.string().optional(),
  rules: versionFields.rules.optional(),
  versions: z.array(z.strictObject(versionFields)).min(1).optional(),
});

export type IntervalSpec = z.infer<typeof interval>;
export type ChildSubjects = z.infer<typeof childSubjects>;
export type StaffSubjects = z.infer<typeof staffSubjects>;
export type TeamSubjects = z.infer<typeof teamSubjects>;
export type SessionSubjects = z.infer<typeof sessionSubjects>;
export type Subjects = z.infer<typeof subjects>;
export type IntervalRule = z.infer<typeof intervalRule>;
export type StagedRule = z.infer<typeof stagedRule>;
export type CheckpointRule = z.infer<typeof checkpointRule>;
export type QuotaRule = z.infer<typeof quotaRule>;
export type DeadlineRule = z.infer<typeof deadlineRule>;
export type Rule = z.infer<typeof rule>;
export type PackNote = z.infer<typeof note>;

export interface ClosureDay {
  date: string;
  reason?: string;
}

/** One version of a policy, normalised: shared fields merged in, defaults filled. */
export interface PolicyVersion {
  version: string;
  effectiveFrom: string;
  supersedes?: string;
  source?: string;
  closureDays: ClosureDay[];
  satisfiedBy: Record<Requirement, SessionKind[]>;
  notes: PackNote[];
  rules: Rule[];
}

export interface PolicyPack {
  id: string;
  name: string;
  source?: string;
  description?: string;
  /** Ordered by effectiveFrom, oldest first. */
  versions: PolicyVersion[];
}

export type PackResult = { ok: true; pack: PolicyPack } | { ok: false; errors: PolicyError[] };

export const DEFAULT_SATISFIED_BY: Record<Requirement, SessionKind[]> = {
  'case-supervision': ['case'],
  'allocation-discussion': ['case'],
  'assessment-review': ['case'],
  'professional-supervision': ['professional'],
  observation: ['observation'],
  'group-supervision': ['group'],
  'agreement-review': ['agreement'],
  'conference-chair-supervision': ['conference-chair'],
  recording: [],
};

type RawPack = z.infer<typeof packSchema>;
type RawVersion = z.infer<(typeof packSchema)['shape']['versions']>;

interface Problem {
  path: PathSegment[];
  message: string;
}

function checkRules(
  rules: readonly Rule[],
  base: PathSegment[],
  noteIds: ReadonlySet<string>,
  problems: Problem[],
): void {
  const seen = new Map<string, number>();
  rules.forEach((r, i) => {
    const at = (...p: PathSegment[]): PathSegment[] => [...base, i, ...p];
    const prev = seen.get(r.id);
    if (prev !== undefined)
      problems.push({ path: at('id'), message: `duplicate rule id "${r.id}" (also rules[${prev}])` });
    else seen.set(r.id, i);
    const want = SUBJECT_OF[r.requirement];
    if (r.subjects.type !== want) {
      problems.push({
        path: at('subjects', 'type'),
        message: `expected "${want}": requirement ${r.requirement} is about a ${want}, got "${r.subjects.type}"`,
      });
    }
    if (r.note !== undefined && !noteIds.has(r.note)) {
      problems.push({ path: at('note'), message: `expected the id of one of the pack's notes, got "${r.note}"` });
    }
    if (r.requirement === 'recording' && r.kind !== 'deadline') {
      problems.push({
        path: at('kind'),
        message: `expected "deadline": recording is a deadline after each session, got "${r.kind}"`,
      });
    }
    switch (r.kind) {
      case 'deadline':
        if (r.requirement !== 'recording') {
          problems.push({
            path: at('requirement'),
            message: `expected "recording" for a deadline rule, got "${r.requirement}"`,
          });
        }
        // accepted once and silently ignored: refused, so that nobody believes they apply
        if (r.satisfiedBy !== undefined) {
          problems.push({
            path: at('satisfiedBy'),
            message: 'not possible on a deadline rule: a deadline applies to the session kinds in subjects.kinds',
          });
        }
        if (r.minMinutes !== undefined) {
          problems.push({
            path: at('minMinutes'),
            message: 'not possible on a deadline rule: a deadline applies to every session of its kinds',
          });
        }
        if (r.heldBy !== undefined) {
          problems.push({
            path: at('heldBy'),
            message: 'not possible on a deadline rule: a deadline applies to every session of its kinds',
          });
        }
        break;
      case 'checkpoints':
        if (r.subjects.type !== 'child') {
          problems.push({
            path: at('subjects', 'type'),
            message: 'expected "child": checkpoints follow events in a child\'s case',
          });
        }
        r.checkpoints.forEach((c, j) => {
          if ((c.after === undefined) === (c.before === undefined)) {
            problems.push({ path: at('checkpoints', j), message: 'expected exactly one of "after" or "before"' });
          }
        });
        if (r.withAllocatedWorker && r.from.event !== 'allocation') {
          problems.push({ path: at('withAllocatedWorker'), message: 'only possible when from.event is "allocation"' });
        }
        break;
      case 'staged': {
        let last = 0;
        r.stages.forEach((s, j) => {
          if (s.until === undefined) {
            if (j !== r.stages.length - 1) {
              problems.push({ path: at('stages', j, 'until'), message: 'is required on every stage but the last' });
            }
            return;
          }
          const d = approxDays(s.until);
          if (d <= last)
            problems.push({
              path: at('stages', j, 'until'),
              message: "expected a point later than the previous stage's",
            });
          last = d;
        });
        if (r.subjects.type === 'team')
          problems.push({ path: at('subjects', 'type'), message: 'expected "staff" or "child" for a staged rule' });
        break;
      }
      case 'quota':
        if (r.per === 'rolling' && r.over === undefined)
          problems.push({ path: at('over'), message: 'is required with per: rolling ("10 in any 12 months")' });
        if (r.per !== 'rolling' && r.over !== undefined)
          problems.push({ path: at('over'), message: 'only possible with per: rolling' });
        if (r.proRata && r.subjects.type !== 'staff')
          problems.push({ path: at('proRata'), message: 'only possible for staff: it scales by working hours' });
        else if (r.proRata && r.per === 'rolling')
          problems.push({ path: at('proRata'), message: 'only possible with per: month or per: year' });
        if (r.yearStarts !== undefined) {
          if (r.per !== 'year') problems.push({ path: at('yearStarts'), message: 'only possible with per: year' });
          else {
            const [m, d] = r.yearStarts.split('-').map(Number) as [number, number];
            if (d > (m === 2 ? 28 : [4, 6, 9, 11].includes(m) ? 30 : 31)) {
              problems.push({
                path: at('yearStarts'),
                message: `expected a day that exists in every year, got "${r.yearStarts}"`,
              });
            }
          }
        }
        break;
      case 'interval':
        break;
    }
    if (r.subjects.type === 'session' && r.kind !== 'deadline') {
      problems.push({
        path: at('kind'),
        message: `expected "deadline": only deadlines apply to sessions, got "${r.kind}"`,
      });
    }
  });
}

function closures(list: RawPack['closureDays']): ClosureDay[] {
  return (list ?? []).map((c) =>
    typeof c === 'string' ? { date: c } : { date: c.date, ...(c.reason ? { reason: c.reason } : {}) },
  );
}

function normalise(raw: RawPack, problems: Problem[]): PolicyPack | null {
  const sharedNotes = raw.notes ?? [];
  const hasTop = raw.version !== undefined || raw.effectiveFrom !== undefined || raw.rules !== undefined;
  let rawVersions: NonNullable<RawVersion>;
  let versionsPath: PathSegment[] | null;
  if (raw.versions !== undefined) {
    if (hasTop) {
      for (const k of ['version', 'effectiveFrom', 'rules'] as const) {
        if (raw[k] !== undefined)
          problems.push({ path: [k], message: `expected either "versions" or top-level "${k}", not both` });
      }
    }
    rawVersions = raw.versions;
    versionsPath = ['versions'];
  } else {
    for (const k of ['version', 'effectiveFrom', 'rules'] as const) {
      if (raw[k] === undefined) problems.push({ path: [k], message: `is required (or list the pack's "versions")` });
    }
    if (raw.version === undefined || raw.effectiveFrom === undefined || raw.rules === undefined) return null;
    rawVersions = [
      {
        version: raw.version,
        effectiveFrom: raw.effectiveFrom,
        ...(raw.supersedes !== undefined ? { supersedes: raw.supersedes } : {}),
        rules: raw.rules,
      },
    ];
    versionsPath = null;
  }
  const versions: PolicyVersion[] = [];
  const byName = new Map<string, number>();
  const byDate = new Map<string, number>();
  rawVersions.forEach((v, i) => {
    const vp = (...p: PathSegment[]): PathSegment[] => (versionsPath ? [...versionsPath, i, ...p] : p);
    if (byName.has(v.version)) problems.push({ path: vp('version'), message: `duplicate version "${v.version}"` });
    byName.set(v.version, i);
    if (byDate.has(v.effectiveFrom))
      problems.push({ path: vp('effectiveFrom'), message: `another version already starts on ${v.effectiveFrom}` });
    byDate.set(v.effectiveFrom, i);
    const notes = [...sharedNotes, ...(v.notes ?? [])];
    checkRules(v.rules, vp('rules'), new Set(notes.map((n) => n.id)), problems);
    versions.push({
      version: v.version,
      effectiveFrom: v.effectiveFrom,
      ...(v.supersedes !== undefined ? { supersedes: v.supersedes } : {}),
      ...(v.source !== undefined ? { source: v.source } : {}),
      closureDays: [...closures(raw.closureDays), ...closures(v.closureDays)],
      satisfiedBy: { ...DEFAULT_SATISFIED_BY, ...stripUndefined(raw.satisfiedBy), ...stripUndefined(v.satisfiedBy) },
      notes,
      rules: v.rules,
    });
  });
  rawVersions.forEach((v, i) => {
    if (v.supersedes === undefined || versionsPath === null) return;
    const j = byName.get(v.supersedes);
    const other = j === undefined ? undefined : rawVersions[j];
    if (other === undefined) {
      problems.push({
        path: [...versionsPath, i, 'supersedes'],
        message: `expected the name of another version in this file, got "${v.supersedes}"`,
      });
    } else if (other.effectiveFrom >= v.effectiveFrom) {
      problems.push({
        path: [...versionsPath, i, 'supersedes'],
        message: `version "${v.supersedes}" must start before this one`,
      });
    }
  });
  versions.sort((a, b) => (a.effectiveFrom < b.effectiveFrom ? -1 : a.effectiveFrom > b.effectiveFrom ? 1 : 0));
  return {
    id: raw.id,
    name: raw.name,
    ...(raw.source !== undefined ? { source: raw.source } : {}),
    ...(raw.description !== undefined ? { description: raw.description } : {}),
    versions,
  };
}

function stripUndefined<T extends object>(o: T | undefined): Partial<T> {
  if (!o) return {};
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * Validates a policy pack already read into data (from YAML or JSON: see pack-text.ts for text). `lineOf` gives the
 * line of a path in the text, where known. Errors name the file, the path in it, the line, and what was expected;
 * nothing is thrown.
 */
export function packFromData(
  data: unknown,
  fileName: string,
  lineOf: (path: readonly PathSegment[]) => number | undefined = () => undefined,
): PackResult {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    return {
      ok: false,
      errors: [
        {
          file: fileName,
          path: '',
          line: 1,
          message: 'expected a policy pack: a mapping with id, name, version, effectiveFrom and rules',
        },
      ],
    };
  }
  const parsed = packSchema.safeParse(data, { reportInput: true });
  const withLine = (path: PathSegment[], message: string): PolicyError => {
    const line = lineOf(path);
    return { file: fileName, path: formatPath(path), ...(line !== undefined ? { line } : {}), message };
  };
  if (!parsed.success) {
    const errs = issuesToErrors(fileName, parsed.error.issues).map((e) => withLine(e.rawPath, e.message));
    return { ok: false, errors: sortErrors(errs) };
  }
  const problems: Problem[] = [];
  const pack = normalise(parsed.data, problems);
  if (problems.length > 0 || pack === null) {
    return { ok: false, errors: sortErrors(problems.map((p) => withLine(p.path, p.message))) };
  }
  return { ok: true, pack };
}

function sortErrors(errs: PolicyError[]): PolicyError[] {
  return errs.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
}

/** The version in force on `on` (the latest that started on or before it; the earliest if none had). */
export function versionInForce(pack: PolicyPack, on: string): PolicyVersion {
  let v = pack.versions[0] as PolicyVersion;
  for (const x of pack.versions) if (x.effectiveFrom <= on) v = x;
  return v;
}

export type { Day };
