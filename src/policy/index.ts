/**
 * Supervise policy engine: pure (no I/O, no clock), used by the CLI, the web app and jobs.
 *
 *   parsePolicyPack(text, fileName)      -> { ok: true, pack } | { ok: false, errors }   YAML or JSON policy pack
 *   loadPreset(id) / listPresets()       -> the shipped packs 'systemic-4x4x4' and 'gloucestershire'
 *   parseFacts(json, fileName)           -> { ok: true, facts } | { ok: false, errors }   facts.json already parsed
 *   parseFactsText(text, fileName)       -> the same from the file's text, with line numbers in errors
 *   parseFactsStream(source, fileName)   -> the same from the file's bytes in chunks (a file too large for a string)
 *   formatErrors(errors)                 -> "file:line: path: message" lines for stderr
 *   evaluate(pack, factsOrIndex, on, { history?, subjects?, requirements? })
 *                                        -> { on, policy: { id, version, name }, obligations, warnings? }
 *   evaluateEach(pack, factsOrIndex, on, options, out, flush) -> the same obligations, a few at a time
 *   evaluationHead(pack, on)             -> { on, policy, warnings? } of an evaluation
 *   indexFacts(facts)                    -> an index built once (O(sessions)), reusable for any date
 *   evaluateSubject(pack, index, { type, id }, on, { history?, requirements? }) -> Obligation[]
 *                                           one child, worker, team or session, independently of the rest
 *   describePack(pack)                   -> the pack in plain English (`supervise policy show`)
 *   versionInForce(pack, on)             -> the version of the pack in force on a date
 *
 * Dates are ISO calendar dates `YYYY-MM-DD` (Europe/London). `on` is always passed in. Facts dated
 * after `on` are ignored. The output matches shared/contracts/due-cli.md; obligations also carry
 * ruleId, section, since, lastMet, metOn, sessionId (and required/count/period when counted).
 * Nothing here throws on bad input except evaluate/evaluateSubject when `on` is not a calendar date
 * (a RangeError saying so) and loadPreset for an unknown id (an Error naming the known presets).
 */
export { packFromData, versionInForce, DEFAULT_SATISFIED_BY } from './pack.ts';
export { parsePolicyPack } from './pack-text.ts';
export type {
  PolicyPack,
  PolicyVersion,
  PackResult,
  PackNote,
  ClosureDay,
  Rule,
  IntervalRule,
  StagedRule,
  CheckpointRule,
  QuotaRule,
  DeadlineRule,
  Subjects,
} from './pack.ts';
export { parseFacts, parseFactsText } from './facts.ts';
export { parseFactsStream, type FactsSource } from './facts-stream.ts';
export type {
  Facts,
  FactsResult,
  Team,
  StaffMember,
  StaffPeriod,
  SupervisorSpan,
  Child,
  Episode,
  FlagPeriod,
  Allocation,
  Session,
} from './facts.ts';
export { formatErrors } from './errors.ts';
export type { PolicyError } from './errors.ts';
export { loadPreset, listPresets, isPresetId, presetText } from './presets.ts';
export type { PresetId, PresetInfo } from './presets.ts';
export { evaluate, evaluateEach, evaluationHead, evaluateSubject } from './engine.ts';
export type { Obligation, EvaluationResult, EvaluateOptions, SubjectRef } from './engine.ts';
export { indexFacts } from './index-facts.ts';
export type { FactsIndex } from './index-facts.ts';
export { describePack, describeRule } from './describe.ts';
export { ruleLabel } from './labels.ts';
export { WorkingCalendar, bankHolidays } from './working-days.ts';
export {
  ROLES,
  EMPLOYMENT,
  STATUSES,
  FLAGS,
  SESSION_KINDS,
  REQUIREMENTS,
  SUBJECT_TYPES,
  STATUSES_OUT as OBLIGATION_STATUSES,
  SUBJECT_OF,
  STATUS_LABEL,
  FLAG_LABEL,
  ROLE_LABEL,
  REQUIREMENT_LABEL,
  KIND_LABEL,
} from './vocabulary.ts';
export type {
  Role,
  Employment,
  ChildStatus,
  ChildFlag,
  SessionKind,
  Requirement,
  SubjectType,
  ObligationStatus,
} from './vocabulary.ts';
