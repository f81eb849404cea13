/**
 * The kinds of supervision record and their templates, taken from the seed policies' own templates and headings
 * (docs/seeds): what each record asks, who it is about, whether it is confidential or goes on the child's record,
 * and which kind of session it is to the policy engine. Pure data: no I/O.
 *
 * Sources:
 * - seed 000 (a council using the 4x4x4 model): its Personal Supervision Record, Group Supervision Record, Direct
 *   Observation of Practice Record and Supervision Agreement (section 12, Resources);
 * - seed 003 (Gloucestershire): professional supervision topics (3.1), the purpose of a child's case supervision (4.2),
 *   management oversight (5 and 2.2), the dedicated conference-chair supervision and its questions (6), and the anchor
 *   principles of reflective practice (7).
 */
import type { SessionKind } from '../policy/index.ts';

export const RECORD_KINDS = [
  'professional',
  'case',
  'group',
  'oversight',
  'observation',
  'agreement',
  'conference-chair',
] as const;
export type RecordKind = (typeof RECORD_KINDS)[number];

export function isRecordKind(v: string): v is RecordKind {
  return (RECORD_KINDS as readonly string[]).includes(v);
}

export interface Heading {
  /** The key the answer is kept under. */
  id: string;
  /** The question as the form asks it. */
  label: string;
  /** What to think about, in the policy's words where it has them. */
  hint?: string;
  /** Where in the seed policies the heading comes from. */
  source: string;
}

export interface Template {
  kind: RecordKind;
  /** "Professional and personal supervision". */
  title: string;
  /** What the record is about: a member of staff, a child, or a team. */
  subject: 'staff' | 'child' | 'team';
  /**
   * Confidential to the supervisee, the supervisor and the managers above the supervisor (who read it only as a
   * deliberate act with a stated reason); never names children. Otherwise it is part of the child's record, seen by
   * those who may see the child.
   */
  confidential: boolean;
  /** What the policy engine counts the record as. */
  sessionKind: SessionKind;
  headings: readonly Heading[];
  /** Whether actions (what, who, by when) are agreed in it. */
  actions: boolean;
  /** The policy's words about this kind of record, shown above the form. */
  guidance: string;
}

const S000 = 'Seed 000';
const S003 = 'Gloucestershire (seed 003)';

export const TEMPLATES: Readonly<Record<RecordKind, Template>> = {
  professional: {
    kind: 'professional',
    title: 'Professional and personal supervision',
    subject: 'staff',
    confidential: true,
    sessionKind: 'professional',
    actions: true,
    guidance:
      'Professional supervision considers the needs of the worker. Names or personal details of children and their families are not recorded in professional supervision notes; ID numbers may be used.',
    headings: [
      {
        id: 'support',
        label: 'Support',
        hint: 'Personal safety, wellbeing, sickness absence and leave (annual leave, sickness, TOIL).',
        source: `${S000}, Personal Supervision Record; ${S003}, 3.1`,
      },
      {
        id: 'wentWell',
        label: 'Things that have gone well since the last supervision session',
        hint: 'Positive feedback, good examples of practice, workplace relationships that are supportive.',
        source: `${S000}, Personal Supervision Record`,
      },
      {
        id: 'reflection',
        label: 'Reflection',
        hint: 'Dilemmas, practice issues and workload.',
        source: `${S000}, Personal Supervision Record`,
      },
      {
        id: 'learning',
        label: 'Learning and development',
        hint: 'Training and on-going development needs. What are the priorities to further develop skills and knowledge? What progress has been made on the actions agreed at appraisal? What feedback has been obtained from service users or via direct observation recently?',
        source: `${S000}, Personal Supervision Record; ${S003}, 3.1`,
      },
      {
        id: 'feedback',
        label: 'Constructive and supportive feedback',
        source: `${S003}, 3.1`,
      },
      {
        id: 'performance',
        label: 'Performance',
        hint: 'Performance management issues, if any.',
        source: `${S003}, 3.1`,
      },
      {
        id: 'personal',
        label: 'Personal issues',
        source: `${S003}, 3.1`,
      },
      {
        id: 'disagreements',
        label: 'Disagreements',
        hint: 'Any disagreement, with the proposed activities to resolve or escalate it.',
        source: `${S003}, 3.1; ${S000}, 9`,
      },
    ],
  },
  case: {
    kind: 'case',
    title: 'Child’s case supervision',
    subject: 'child',
    confidential: false,
    sessionKind: 'case',
    actions: true,
    guidance:
      'Case supervision is recorded on the child’s record, written with the knowledge that the child or family may read it. Reflection follows the anchor principles.',
    headings: [
      {
        id: 'story',
        label: 'What is the story?',
        hint: 'A clear description of what the worker is experiencing and what they have observed.',
        source: `${S003}, 7`,
      },
      {
        id: 'meaning',
        label: 'What does this mean for the child?',
        hint: 'The feelings the story evokes and what it might mean for the child, the family and the worker.',
        source: `${S003}, 7`,
      },
      {
        id: 'hypotheses',
        label: 'Hypotheses',
        source: `${S003}, 7`,
      },
      {
        id: 'doubts',
        label: 'Niggling doubts',
        source: `${S003}, 7`,
      },
      {
        id: 'optimism',
        label: 'Over-optimism and disguised compliance',
        source: `${S003}, 7`,
      },
      {
        id: 'capacity',
        label: 'Capacity and readiness to change',
        source: `${S003}, 7`,
      },
      {
        id: 'risks',
        label: 'Risks and strengths',
        hint: 'Risks to the child, the family, the staff member and the organisation, and the strengths.',
        source: `${S003}, 4.2 and 7`,
      },
      {
        id: 'childVoice',
        label: 'The child’s voice',
        hint: 'The child’s wishes, views and feelings: how they were heard, and how the child contributed to the assessment, plan and decisions.',
        source: `${S003}, 4.2`,
      },
      {
        id: 'parents',
        label: 'The parents’ and carers’ views',
        source: `${S003}, 4.2`,
      },
      {
        id: 'identity',
        label: 'Identity and diversity',
        hint: 'The ethnic, cultural, racial, gender, religious, identity, disability and language needs of the child and family.',
        source: `${S003}, 4.2`,
      },
      {
        id: 'needsToHappen',
        label: 'What needs to happen?',
        hint: 'Decisions and a SMART plan with timescales and contingency; the outcomes for the child.',
        source: `${S003}, 7`,
      },
      {
        id: 'progress',
        label: 'How will we know we are making progress?',
        source: `${S003}, 7`,
      },
      {
        id: 'workload',
        label: 'Workload',
        hint: 'Does the worker have the time and knowledge to meet the child’s needs?',
        source: `${S003}, 4.2`,
      },
      {
        id: 'disagreements',
        label: 'Disagreements',
        hint: 'Any disagreement, with the proposed actions to resolve or escalate it.',
        source: `${S003}, 4.3`,
      },
    ],
  },
  group: {
    kind: 'group',
    title: 'Group reflective supervision',
    subject: 'team',
    confidential: false,
    sessionKind: 'group',
    actions: true,
    guidance:
      'Teams hold group reflective supervision monthly, led by the Advanced Practitioner or Team Manager. Its decisions and actions about a child go onto that child’s record and into the child’s plan.',
    headings: [
      {
        id: 'participants',
        label: 'Names of people involved in the group supervision',
        source: `${S000}, Group Supervision Record`,
      },
      { id: 'lead', label: 'Lead person for this session', source: `${S000}, Group Supervision Record` },
      {
        id: 'terms',
        label: 'General terms of reference for the group supervision',
        source: `${S000}, Group Supervision Record`,
      },
      { id: 'focus', label: 'Focus of discussion', source: `${S000}, Group Supervision Record` },
      {
        id: 'dilemmas',
        label: 'Any dilemmas or practice issues discussed',
        source: `${S000}, Group Supervision Record`,
      },
      {
        id: 'decisions',
        label: 'Decisions',
        hint: 'What was decided for the children discussed: each goes onto their record.',
        source: `${S003}, 7`,
      },
    ],
  },
  oversight: {
    kind: 'oversight',
    title: 'Management oversight',
    subject: 'child',
    confidential: false,
    sessionKind: 'management-oversight',
    actions: true,
    guidance:
      'An ad hoc discussion or decision between planned case supervision sessions, recorded on the child’s record with the evidence of the direction of the plan and the rationale of the decision.',
    headings: [
      {
        id: 'circumstances',
        label: 'What happened',
        hint: 'The change of circumstances, new incident or concern that led to the discussion.',
        source: `${S003}, 2.2 and 5`,
      },
      { id: 'decision', label: 'Decision', source: `${S003}, 5` },
      { id: 'rationale', label: 'Rationale for the decision', source: `${S003}, 5` },
      { id: 'direction', label: 'Direction of the plan', source: `${S003}, 5` },
    ],
  },
  observation: {
    kind: 'observation',
    title: 'Direct observation of practice',
    subject: 'staff',
    confidential: true,
    sessionKind: 'observation',
    actions: true,
    guidance:
      'The supervisor observes the practitioner’s direct work: a home visit, a presentation at a conference or meeting, attendance at court, or direct work with a family. Learning points are discussed in the next supervision.',
    headings: [
      {
        id: 'nature',
        label: 'Date, venue and nature of observation',
        source: `${S000}, Direct Observation of Practice Record`,
      },
      {
        id: 'wentWell',
        label: 'What worked well, including any good practice observed',
        source: `${S000}, Direct Observation of Practice Record`,
      },
      {
        id: 'differently',
        label: 'What could have been done differently',
        source: `${S000}, Direct Observation of Practice Record`,
      },
      {
        id: 'serviceUser',
        label: 'Service user feedback',
        hint: 'If possible, seek feedback from the service user about how they experienced the observation and their relationship with the practitioner.',
        source: `${S000}, Direct Observation of Practice Record`,
      },
      {
        id: 'reflections',
        label: 'Practitioner’s reflections on how the observation went',
        source: `${S000}, Direct Observation of Practice Record`,
      },
      {
        id: 'learning',
        label: 'Learning points',
        hint: 'To be discussed in the next supervision session.',
        source: `${S000}, Direct Observation of Practice Record`,
      },
    ],
  },
  agreement: {
    kind: 'agreement',
    title: 'Supervision agreement',
    subject: 'staff',
    confidential: true,
    sessionKind: 'agreement',
    actions: false,
    guidance:
      'Completed collaboratively at the start of the supervisory relationship and reviewed annually. Supervision can be face to face or virtual; at least once every calendar month; cancelled only in an emergency and then rearranged as soon as possible; in a private confidential space; disagreements discussed openly, then taken to the supervisor’s line manager if they cannot be resolved.',
    headings: [
      {
        id: 'fromSupervisor',
        label: 'What I would find helpful from you as my supervisor and what I will contribute as a practitioner',
        source: `${S000}, Supervision Agreement`,
      },
      {
        id: 'fromPractitioner',
        label: 'What I would find helpful from you as the practitioner and what I will contribute as a supervisor',
        source: `${S000}, Supervision Agreement`,
      },
      {
        id: 'avoid',
        label: 'Anything either the practitioner or supervisor should try to avoid',
        source: `${S000}, Supervision Agreement`,
      },
      {
        id: 'arrangements',
        label: 'How supervision will be arranged and where records are kept',
        hint: 'Frequency, face to face or virtual, and the confidential space the records are kept in.',
        source: `${S003}, 3.2; ${S000}, Supervision Agreement`,
      },
    ],
  },
  'conference-chair': {
    kind: 'conference-chair',
    title: 'Dedicated conference-chair supervision',
    subject: 'child',
    confidential: false,
    sessionKind: 'conference-chair',
    actions: true,
    guidance:
      'The Child Protection Conference Team Manager and the conference chair jointly review the child six weeks before the review child protection conference at month 9; the outcome is recorded as oversight and decision making on the child’s record.',
    headings: [
      {
        id: 'planEffective',
        label: 'Is the child protection plan effective in safeguarding the child? If not, what needs to change?',
        source: `${S003}, 6`,
      },
      { id: 'workingWell', label: 'What is working well?', source: `${S003}, 6` },
      { id: 'immediate', label: 'Is any immediate action required, or case escalation?', source: `${S003}, 6` },
      {
        id: 'coreGroup',
        label: 'Is there evidence that the core group is driving the plan?',
        hint: 'If not, what needs to be addressed at the review conference and how should the plan be developed?',
        source: `${S003}, 6`,
      },
      {
        id: 'proceedings',
        label: 'Is there evidence that PLO or care proceedings should be considered?',
        source: `${S003}, 6`,
      },
      {
        id: 'endPlan',
        label: 'Is there evidence that it may be possible to end the child protection plan?',
        source: `${S003}, 6`,
      },
      {
        id: 'practice',
        label: 'Are there issues regarding practice to raise with the operational Team Manager and Head of Service?',
        source: `${S003}, 6`,
      },
      {
        id: 'multiAgency',
        label: 'Are there issues regarding multi-agency working to address at the review conference?',
        source: `${S003}, 6`,
      },
    ],
  },
};

/** The most text one answer may hold: long, whole records are kept whole or refused, never cut. */
export const MAX_ANSWER = 100_000;
