/**
 * Stored obligations (docs/adr/0005-stored-obligations.md). What is due for every person and child is computed a
 * few subjects at a time, off the request path, and kept in the database; a page reads only the rows it shows. A
 * change marks whom it is about in its own transaction, and a page computes its own few changed subjects before it
 * reads, so a change shows at once, on every instance. The background loop keeps the rest up to date and starts
 * each new day's computation.
 */
import type { Db } from '../db/database.ts';
import { evaluateSubject, indexFacts, type Obligation } from '../policy/index.ts';
import { loadFacts } from '../repositories/facts.ts';
import { lineBelow } from '../repositories/arrangements.ts';
import { staffByIds } from '../repositories/staff.ts';
import { childRefs, countChildrenAllocatedTo } from '../repositories/children.ts';
import {
  claimTodo,
  countInScope,
  firstInScope,
  staleInScope,
  storeObligations,
  type HistoryRow,
  type Scope,
  type Todo,
} from '../repositories/obligations.ts';
import { attributionSpans, type AttributionSpans } from '../repositories/compliance.ts';
import { staleGroups } from '../repositories/obligations.ts';
import { computeGroups } from './group-obligations.ts';
import { onDay } from './spans.ts';
import { spansOn } from './obligation-owners.ts';
import type { Clock } from './clock.ts';
import { londonDate } from './clock.ts';
import type { DueService, ResponsibilityView } from './due.ts';

/** Subjects computed together: one set of facts, a few milliseconds of the event loop. */
const BATCH = 25;
/** How long a batch may take before another instance takes it over. */
const LEASE_MS = 60_000;
/** A page computes at most this many changed subjects itself; more, and it says the rest are being worked out. */
const INLINE = 200;

export interface StoredResponsibilities {
  /** The first of the open obligations of the people below and the children of them, overdue first. */
  others: ResponsibilityView[];
  /** How many there are in all, and how many are overdue. */
  total: number;
  overdue: number;
  people: number;
  children: number;
  /** People and children still being worked out: their obligations are not shown yet. */
  pending: number;
}

/**
 * Whom an obligation due on `due` is counted against: the person themself, or the worker allocated to the child
 * then; their team then; and that team's service then.
 */
export function attribute(
  spans: AttributionSpans,
  subject: { type: 'staff' | 'child'; id: string },
  due: string,
): { staffId: string | null; teamId: string | null; serviceId: string | null } {
  const staffId = subject.type === 'staff' ? subject.id : onDay(spans.allocations.get(subject.id), due);
  const teamId = staffId === null ? null : onDay(spans.teams.get(staffId), due);
  const serviceId = teamId === null ? null : onDay(spans.services.get(teamId), due);
  return { staffId, teamId, serviceId };
}

export function createObligationsService(
  database: Db,
  due: DueService,
  clock: Clock,
  options: { inline?: number } = {},
) {
  const inline = options.inline ?? INLINE;
  const { db } = database;
  const postgres = database.dialect === 'postgres';
  const today = () => londonDate(clock.now());

  /** Computes and stores these subjects' obligations on `on`, from one set of facts loaded for just them. */
  async function compute(all: readonly Todo[], on: string): Promise<number> {
    if (all.length === 0) return 0;
    const pack = await due.pack();
    // teams and sessions: their own facts, not those of people and children
    const groups = all.filter((t) => t.type === 'team' || t.type === 'session');
    let stored = await computeGroups(db, pack, groups, on);
    const todos = all.filter((t): t is Todo & { type: 'staff' | 'child' } => t.type === 'staff' || t.type === 'child');
    if (todos.length === 0) return stored;
    const staffIds = todos.filter((t) => t.type === 'staff').map((t) => t.id);
    const childIds = todos.filter((t) => t.type === 'child').map((t) => t.id);
    const { facts, ids } = await loadFacts(db, { staffIds, childIds }, on);
    const index = indexFacts(facts);
    const spans = await attributionSpans(db, staffIds, childIds);
    const current = spansOn(spans, on);
    for (const t of todos) {
      const factsId = t.type === 'staff' ? ids.staff.get(t.id) : ids.children.get(t.id);
      // with history: the closed obligations too, for the compliance reports; the open ones are the same either way
      const list: Obligation[] =
        factsId === undefined ? [] : evaluateSubject(pack, index, { type: t.type, id: factsId }, on, { history: true });
      const rows = list
        .filter((o) => o.status === 'due' || o.status === 'overdue')
        .map((o) => ({ ruleId: o.ruleId, requirement: o.requirement, status: o.status, due: o.due, data: o }));
      const history: HistoryRow[] = list.map((o) => ({
        ruleId: o.ruleId,
        requirement: o.requirement,
        status: o.status,
        due: o.due,
        metOn: o.metOn ?? null,
        ...attribute(spans, t, o.due),
      }));
      // whom the open ones count against today, for the oversight pages (docs/adr/0009-obligation-owners.md)
      const owner = attribute(current, t, on);
      if (await storeObligations(db, t, on, rows, history, false, owner)) stored++;
    }
    return stored;
  }

  /** Takes one batch of subjects that need computing and computes them; the number taken (0: nothing to do). */
  async function runOnce(limit = BATCH): Promise<number> {
    if (!(await due.hasPolicy())) return 0;
    const now = clock.now();
    const on = londonDate(now);
    const todos = await claimTodo(
      db,
      on,
      limit,
      now.toISOString(),
      new Date(now.getTime() + LEASE_MS).toISOString(),
      postgres,
    );
    await compute(todos, on);
    return todos.length;
  }

  /** Computes until nothing is left (tests, and the command line after an import). */
  async function drain(): Promise<number> {
    let total = 0;
    for (let n = await runOnce(); n > 0; n = await runOnce()) total += n;
    return total;
  }

  /**
   * The background loop: a batch, then a turn of the event loop for requests, and a pause when nothing is left.
   * Several instances may run it: each batch is leased.
   */
  function start(idleMs = 5_000, onError: (err: unknown) => void = () => undefined): () => void {
    let stopped = false;
    let timer: NodeJS.Timeout | undefined;
    const loop = async () => {
      if (stopped) return;
      let more = 0;
      try {
        more = await runOnce();
      } catch (err) {
        onError(err);
      }
      if (stopped) return;
      timer = more > 0 ? setTimeout(loop, 0) : setTimeout(loop, idleMs);
    };
    timer = setTimeout(loop, 0);
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    };
  }

  /** Brings the subjects in scope up to date if they are few; how many are left to the background. */
  async function freshen(scope: Scope, on: string): Promise<number> {
    const stale = await staleInScope(db, scope, on, inline + 1);
    if (stale.length > inline) return stale.length;
    for (let i = 0; i < stale.length; i += BATCH) await compute(stale.slice(i, i + BATCH), on);
    return (await staleInScope(db, scope, on, inline + 1)).length;
  }

  /**
   * Brings the teams' own obligations and the deadlines of the sessions these people supervised (or that were for
   * the teams) up to date if they are few; how many are left to the background.
   */
  async function freshenGroups(teamIds: readonly string[], supervisorIds: readonly string[]): Promise<number> {
    const on = today();
    const stale = await staleGroups(db, teamIds, supervisorIds, on, inline + 1);
    if (stale.length > inline) return stale.length;
    for (let i = 0; i < stale.length; i += BATCH) await compute(stale.slice(i, i + BATCH), on);
    return (await staleGroups(db, teamIds, supervisorIds, on, inline + 1)).length;
  }

  /**
   * What a person is responsible for today, from the stored obligations: the first `shown` open obligations of the
   * people below them in the line and of the children allocated to them or those people, and how many in all.
   */
  async function responsibilities(staffId: string, shown: number): Promise<StoredResponsibilities> {
    const on = today();
    const line = await lineBelow(db, staffId, on);
    const scope: Scope = { staffIds: line, childrenOf: [staffId, ...line], on };
    const pending = await freshen(scope, on);
    const counts = await countInScope(db, scope);
    const first = await firstInScope(db, scope, shown);
    const pack = await due.pack();
    const staffIds = first.filter((r) => r.subjectType === 'staff').map((r) => r.subjectId);
    const childIds = first.filter((r) => r.subjectType === 'child').map((r) => r.subjectId);
    const names = new Map((await staffByIds(db, staffIds)).map((s) => [s.id, s.name]));
    const refs = await childRefs(db, childIds);
    const others = first.map((r) => ({
      ...due.view(pack, r.data as Obligation),
      subjectId: r.subjectId,
      subjectName: (r.subjectType === 'staff' ? names.get(r.subjectId) : refs.get(r.subjectId)) ?? r.subjectId,
    }));
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    const children = await countChildrenAllocatedTo(db, [staffId, ...line], on);
    return { others, total, overdue: counts['overdue'] ?? 0, people: line.length, children, pending };
  }

  /**
   * Computes these subjects now if they are few (subjects a page found stale some other way, such as those its
   * teams' stored owners name); how many are left to the background.
   */
  async function freshenSubjects(todos: readonly Todo[]): Promise<number> {
    if (todos.length > inline) return todos.length;
    const on = today();
    for (let i = 0; i < todos.length; i += BATCH) await compute(todos.slice(i, i + BATCH), on);
    return 0;
  }

  return {
    runOnce,
    drain,
    start,
    responsibilities,
    freshen: (scope: Scope) => freshen(scope, today()),
    freshenGroups,
    freshenSubjects,
  };
}

export type ObligationsService = ReturnType<typeof createObligationsService>;
