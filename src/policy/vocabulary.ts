/** The fixed vocabulary of the facts file and of policy packs (see shared/contracts/due-cli.md). */

export const ROLES = [
  'social-worker',
  'advanced-practitioner',
  'team-manager',
  'service-manager',
  'iro',
  'conference-chair',
  'student',
  'apprentice',
  'family-support-worker',
  'business-support',
] as const;
export type Role = (typeof ROLES)[number];

/** How a member of staff is employed (`employment` in the facts). */
export const EMPLOYMENT = ['employee', 'agency'] as const;
export type Employment = (typeof EMPLOYMENT)[number];

export const STATUSES = [
  'early-help',
  'assessment',
  'child-in-need',
  'child-protection-plan',
  'care-proceedings',
  'child-in-care',
  'short-breaks',
  'care-leaver',
  'adoption-support',
] as const;
export type ChildStatus = (typeof STATUSES)[number];

export const FLAGS = ['long-term-matched', 'permanence-plan-agreed', 'nrpf-only', 'contracted-service-only'] as const;
export type ChildFlag = (typeof FLAGS)[number];

export const SESSION_KINDS = [
  'case',
  'professional',
  'group',
  'observation',
  'agreement',
  'conference-chair',
  'management-oversight',
] as const;
export type SessionKind = (typeof SESSION_KINDS)[number];

export const REQUIREMENTS = [
  'case-supervision',
  'allocation-discussion',
  'assessment-review',
  'professional-supervision',
  'observation',
  'group-supervision',
  'agreement-review',
  'conference-chair-supervision',
  'recording',
] as const;
export type Requirement = (typeof REQUIREMENTS)[number];

export const SUBJECT_TYPES = ['child', 'staff', 'team', 'session'] as const;
export type SubjectType = (typeof SUBJECT_TYPES)[number];

export const STATUSES_OUT = ['due', 'overdue', 'met', 'late', 'missed'] as const;
export type ObligationStatus = (typeof STATUSES_OUT)[number];

/** Which subject type each requirement belongs to (contract: `subject.type`). */
export const SUBJECT_OF: Record<Requirement, SubjectType> = {
  'case-supervision': 'child',
  'allocation-discussion': 'child',
  'assessment-review': 'child',
  'conference-chair-supervision': 'child',
  'professional-supervision': 'staff',
  observation: 'staff',
  'agreement-review': 'staff',
  'group-supervision': 'team',
  recording: 'session',
};

export const STATUS_LABEL: Record<ChildStatus, string> = {
  'early-help': 'Early help',
  assessment: 'Assessment',
  'child-in-need': 'Child in need plan',
  'child-protection-plan': 'Child protection plan',
  'care-proceedings': 'Care proceedings',
  'child-in-care': 'In care',
  'short-breaks': 'Short breaks',
  'care-leaver': 'Care leaver',
  'adoption-support': 'Adoption support',
};

export const FLAG_LABEL: Record<ChildFlag, string> = {
  'long-term-matched': 'long-term matched',
  'permanence-plan-agreed': 'permanence plan agreed',
  'nrpf-only': 'no recourse to public funds only',
  'contracted-service-only': 'contracted service only',
};

export const ROLE_LABEL: Record<Role, string> = {
  'social-worker': 'social worker',
  'advanced-practitioner': 'advanced practitioner',
  'team-manager': 'team manager',
  'service-manager': 'service manager',
  iro: 'IRO',
  'conference-chair': 'conference chair',
  student: 'student',
  apprentice: 'apprentice',
  'family-support-worker': 'family support worker',
  'business-support': 'business support',
};

export const REQUIREMENT_LABEL: Record<Requirement, string> = {
  'case-supervision': 'case supervision',
  'allocation-discussion': 'a case discussion',
  'assessment-review': 'an assessment review in supervision',
  'professional-supervision': 'professional supervision',
  observation: 'practice observation',
  'group-supervision': 'group reflective supervision',
  'agreement-review': 'a supervision agreement',
  'conference-chair-supervision': 'a dedicated conference-chair supervision',
  recording: 'recording',
};

/** What is counted, for quotas: "2 practice observations". */
export function countedLabel(r: Requirement, n: number): string {
  const plural: Record<Requirement, [string, string]> = {
    'case-supervision': ['case supervision session', 'case supervision sessions'],
    'allocation-discussion': ['case discussion', 'case discussions'],
    'assessment-review': ['assessment review', 'assessment reviews'],
    'professional-supervision': ['professional supervision session', 'professional supervision sessions'],
    observation: ['practice observation', 'practice observations'],
    'group-supervision': ['group reflective supervision session', 'group reflective supervision sessions'],
    'agreement-review': ['supervision agreement', 'supervision agreements'],
    'conference-chair-supervision': ['conference-chair supervision', 'conference-chair supervisions'],
    recording: ['recording', 'recordings'],
  };
  return plural[r][n === 1 ? 0 : 1];
}

export const KIND_LABEL: Record<SessionKind, string> = {
  case: 'case supervision',
  professional: 'professional supervision',
  group: 'group supervision',
  observation: 'practice observation',
  agreement: 'supervision agreement',
  'conference-chair': 'conference-chair supervision',
  'management-oversight': 'management oversight',
};

/** "a, b or c" */
export function orList(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

/** "a, b and c" */
export function andList(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
