/** describePack: a policy pack in plain English (used by `supervise policy show`). */
import { describeEvery, describeInterval, longDate, parseDay, type Interval } from './dates.ts';
import { perText } from './engine.ts';
import { ruleLabel } from './labels.ts';
import type { PolicyPack, PolicyVersion, Rule } from './pack.ts';
import { KIND_LABEL, REQUIREMENT_LABEL, ROLE_LABEL, andList, countedLabel, orList } from './vocabulary.ts';

function dateText(s: string): string {
  const d = parseDay(s);
  return d === null ? s : longDate(d);
}

/** One sentence saying what the rule requires. */
/** "one week", "4 weeks": an interval as it reads in a sentence. */
function spelt(i: Interval): string {
  return describeInterval(i).replace(/^1 /, 'one ');
}

export function describeRule(r: Rule): string {
  const who = ruleLabel(r);
  const req = REQUIREMENT_LABEL[r.requirement];
  const perRelationship = r.subjects.type === 'staff' && r.subjects.perRelationship === true;
  const start = perRelationship ? 'the start of each supervisory relationship' : 'the start';
  switch (r.kind) {
    case 'interval': {
      const first = r.firstDue
        ? r.firstDue.count === 0
          ? `the first at ${start}`
          : `the first within ${describeInterval(r.firstDue)} of ${start}`
        : `the first ${spelt(r.every)} after ${start}`;
      return `${who}: ${req} at least ${describeEvery(r.every)}; ${first}, then ${spelt(r.every)} after the last one.`;
    }
    case 'staged': {
      let prev = 'the start';
      const parts = r.stages.map((s) => {
        const span = s.until ? `from ${prev} until ${describeInterval(s.until)}` : `from ${prev} on`;
        if (s.until) prev = describeInterval(s.until);
        return `${s.label ? `${s.label} (${span})` : span}: at least ${describeEvery(s.every)}`;
      });
      const last = r.stages[r.stages.length - 1];
      const end = last?.until ? `; the rule ends ${describeInterval(last.until)} after the start` : '';
      return `${who}: ${req}, counted from ${start}: ${parts.join('; ')}${end}.`;
    }
    case 'checkpoints': {
      const when = r.checkpoints.map((c) =>
        c.after
          ? c.after.count === 0
            ? 'on the day'
            : `${describeInterval(c.after)} after`
          : `${describeInterval(c.before!)} before`,
      );
      let event: string;
      if (r.from.event === 'allocation') event = 'each allocation or transfer';
      else event = 'the start';
      if (r.from.then?.length) {
        event = `${r.from.label ?? 'the anchor date'} (${andList(r.from.then.map((t) => describeInterval(t)))} on from ${event})`;
      }
      const single =
        r.checkpoints.length === 1 &&
        r.checkpoints[0]!.after &&
        r.checkpoints[0]!.after.count > 0 &&
        !r.from.then?.length;
      const timing = single
        ? `within ${describeInterval(r.checkpoints[0]!.after!)} of ${event}`
        : `${andList(when)} ${event}`;
      const open = r.ifStillOpen
        ? `; only if ${r.from.event === 'allocation' ? 'the allocation' : 'it'} is still open on the due date`
        : '';
      const worker = r.withAllocatedWorker ? '; the session must include the allocated worker' : '';
      return `${who}: ${req} ${timing}${open}${worker}.`;
    }
    case 'quota': {
      const supervised = perRelationship ? ', while they have a supervisor' : '';
      const by =
        r.per === 'rolling'
          ? 'the next due before the oldest of the last ones leaves the window'
          : "due by the period's last day";
      return `${who}: at least ${r.required} ${countedLabel(r.requirement, r.required)} ${perText(r)}${supervised}, ${by}.`;
    }
    case 'deadline': {
      const kinds = r.subjects.type === 'session' ? orList(r.subjects.kinds.map((k) => KIND_LABEL[k])) : 'session';
      const fields = andList(r.fields.map((f) => f));
      const within = r.within.count === 0 ? 'on the day' : `within ${describeInterval(r.within)}`;
      return `Every ${kinds} session: to be ${fields} ${within} of the session.`;
    }
  }
}

function describeVersion(pack: PolicyPack, v: PolicyVersion): string[] {
  const lines: string[] = [];
  lines.push(
    `Version ${v.version}, in force from ${dateText(v.effectiveFrom)}${v.supersedes ? ` (replaces version ${v.supersedes})` : ''}.`,
  );
  if (v.source) lines.push(`Source: ${v.source}`);
  lines.push('');
  lines.push('Rules:');
  for (const r of v.rules) {
    lines.push(`- ${pack.id}:${r.section} (${r.id}) ${describeRule(r)}`);
    if (r.kind !== 'deadline') {
      const kinds = r.satisfiedBy ?? v.satisfiedBy[r.requirement];
      lines.push(
        `    Met by: ${orList(kinds.map((k) => KIND_LABEL[k]))} sessions${r.minMinutes ? ` of at least ${r.minMinutes} minutes` : ''}${r.heldBy ? ` held by the ${orList(r.heldBy.map((x) => ROLE_LABEL[x]))}` : ''}.`,
      );
    }
    lines.push(`    Policy, section ${r.section}: "${r.quote}"`);
    if (r.note) lines.push(`    See note: ${r.note}.`);
  }
  lines.push('');
  lines.push('Working days: Monday to Friday, except bank holidays in England and Wales (substitute days included)');
  if (v.closureDays.length) {
    lines.push('and these closure days:');
    for (const c of v.closureDays) lines.push(`- ${dateText(c.date)}${c.reason ? `: ${c.reason}` : ''}`);
  } else {
    lines.push('(no local closure days).');
  }
  if (v.notes.length) {
    lines.push('');
    lines.push('Notes (contradictions resolved and readings of the text):');
    for (const n of v.notes) {
      lines.push(`- ${n.id}${n.sections?.length ? ` (section ${n.sections.join(', ')})` : ''}: ${n.text}`);
      if (n.resolution) lines.push(`    Resolution: ${n.resolution}`);
    }
  }
  lines.push('');
  lines.push(
    'Where several rules apply to the same child or worker for the same requirement, the most frequent governs.',
  );
  return lines;
}

/** The whole pack in plain English, one rule per item. */
export function describePack(pack: PolicyPack): string {
  const lines: string[] = [`${pack.name} (${pack.id})`];
  if (pack.source) lines.push(`Source: ${pack.source}`);
  if (pack.description) lines.push(pack.description);
  for (const v of pack.versions) {
    lines.push('');
    lines.push(...describeVersion(pack, v));
  }
  return `${lines.join('\n')}\n`;
}
