/** Plain-English names of who a rule is about, shared by explanations and describePack. */
import type { Rule, Subjects } from './pack.ts';
import { FLAG_LABEL, ROLE_LABEL, STATUS_LABEL, andList, orList } from './vocabulary.ts';

function capitalise(s: string): string {
  return s.length === 0 ? s : s[0]!.toUpperCase() + s.slice(1);
}

/** "Child protection plan", "Case-holding staff", "Social worker or advanced practitioner". */
export function subjectsLabel(s: Subjects): string {
  switch (s.type) {
    case 'child': {
      let out = s.status
        ? orList(s.status.map((x, i) => (i === 0 ? STATUS_LABEL[x] : STATUS_LABEL[x].toLowerCase())))
        : 'Open case';
      const extra: string[] = [];
      if (s.withFlags) extra.push(andList(s.withFlags.map((f) => FLAG_LABEL[f])));
      if (s.withoutFlags) extra.push(`not ${orList(s.withoutFlags.map((f) => FLAG_LABEL[f]))}`);
      if (s.exclusive) extra.push('no other involvement');
      if (s.allocated === false) extra.push('unallocated');
      if (s.allocated === true) extra.push('allocated');
      if (extra.length) out += ` (${extra.join('; ')})`;
      return out;
    }
    case 'staff': {
      const parts: string[] = [];
      if (s.asye) parts.push('ASYE');
      if (s.newToStatutoryWork) parts.push('new to statutory work');
      if (s.stages) parts.push(`${orList(s.stages)} stage`);
      if (s.caseHolding === true) parts.push('case-holding');
      if (s.caseHolding === false) parts.push('non-case-holding');
      if (s.employment) parts.push(orList(s.employment));
      let who = s.roles ? orList(s.roles.map((r) => ROLE_LABEL[r])) : 'staff';
      if (s.managerOf)
        who = `${s.roles ? `${who} ` : ''}line manager of a ${orList(s.managerOf.map((r) => ROLE_LABEL[r]))}`;
      let out = capitalise([...parts, who].join(' '));
      if (s.withoutRoles) out += ` (not ${orList(s.withoutRoles.map((r) => ROLE_LABEL[r]))})`;
      if (s.withoutStages) out += ` (not in the ${orList(s.withoutStages)} stage)`;
      return out;
    }
    case 'team':
      return 'Team';
    case 'session':
      return capitalise(`${orList(s.kinds.map((k) => k))} session`);
  }
}

export function ruleLabel(r: Rule): string {
  return r.label ?? subjectsLabel(r.subjects);
}
