/** What the policy engine answers: obligations, and the options of an evaluation (see engine.ts). */
import type { ObligationStatus, Requirement, SubjectType } from './vocabulary.ts';

export interface SubjectRef {
  type: SubjectType;
  id: string;
}

export interface Obligation {
  subject: SubjectRef;
  requirement: Requirement;
  /** YYYY-MM-DD */
  due: string;
  status: ObligationStatus;
  /** `<packId>:<section>`, e.g. "gloucestershire:4.1.2". */
  rule: string;
  /** The id of the governing rule in the pack. */
  ruleId: string;
  section: string;
  explanation: string;
  /** When the governing rule began to apply to the subject (recurring rules), or the event date (checkpoints). */
  since?: string;
  /** The last qualifying session on or before `on` (recurring rules). */
  lastMet?: string;
  /** For met/late: the date it was met (session date, or recording date for recording). */
  metOn?: string;
  /** For met/late: the session that met it. */
  sessionId?: string;
  /** Counted requirements. */
  required?: number;
  count?: number;
  period?: { from: string; to: string };
  /** Only when the pack has several versions: the version the obligation was judged under. */
  policyVersion?: string;
}

export interface EvaluationResult {
  on: string;
  policy: { id: string; version: string; name: string };
  obligations: Obligation[];
  warnings?: string[];
}

export interface EvaluateOptions {
  /** Also list closed obligations (met, late, missed). */
  history?: boolean;
  /** Only these subjects. */
  subjects?: readonly SubjectRef[];
  /** Only these requirements. */
  requirements?: readonly Requirement[];
}
