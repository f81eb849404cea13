import type { Generated } from 'kysely';

/** Database tables as Kysely sees them. Calendar dates are ISO `YYYY-MM-DD` strings, instants ISO UTC strings. */
export interface AuthorityTable {
  id: number;
  name: string;
  policy_preset: string;
  created_at: string;
}

export interface UserTable {
  id: string;
  name: string;
  email: string;
  password_hash: string;
  active: number;
  /** No longer used: a person's team and case holding are on their staff record (staff_periods). */
  case_holding: number;
  /** No longer used: see case_holding. */
  team_id: string | null;
  /** The staff record of the person this account belongs to, if any. */
  staff_id: string | null;
  created_at: string;
  updated_at: string;
}

export interface UserRoleTable {
  user_id: string;
  role: string;
}

/** Columns shared by services and teams: the current state; the dated history is in *_periods. */
interface OrgUnitColumns {
  id: string;
  /** The case system's identifier, where it has one. */
  ref: string | null;
  name: string;
  /** The name compared: lower case, spaces collapsed. */
  name_key: string | null;
  opened_on: string | null;
  closed_on: string | null;
  version: Generated<number>;
  created_at: string;
  updated_at: string | null;
}

export type ServiceTable = OrgUnitColumns;

export interface TeamTable extends OrgUnitColumns {
  service_id: string;
}

export interface ServicePeriodTable {
  id: Generated<number>;
  service_id: string;
  valid_from: string;
  valid_to: string | null;
  name: string;
}

export interface TeamPeriodTable {
  id: Generated<number>;
  team_id: string;
  valid_from: string;
  valid_to: string | null;
  name: string;
  service_id: string;
}

export interface StaffTable {
  id: string;
  ref: string | null;
  name: string;
  name_key: string;
  email: string | null;
  started: string;
  left_on: string | null;
  asye_started: string | null;
  new_to_statutory_work: string | null;
  version: Generated<number>;
  created_at: string;
  updated_at: string;
}

/** A person's job as it was from valid_from to valid_to (inclusive; null: still so). */
export interface StaffPeriodTable {
  id: Generated<number>;
  staff_id: string;
  valid_from: string;
  valid_to: string | null;
  /** Job roles, sorted, joined by ';'. */
  roles: string;
  team_id: string | null;
  case_holding: number;
  employment: string | null;
  hours: number | null;
  /** The supervision stage a manager set (a name like four-weekly), if any. */
  stage: string | null;
}

export interface ArrangementTable {
  id: string;
  supervisor_id: string;
  supervisee_id: string;
  from_date: string;
  to_date: string | null;
  version: Generated<number>;
  created_at: string;
  updated_at: string;
}

export interface ChildTable {
  id: string;
  /** The case system's ID number. */
  ref: string;
  name: string | null;
  date_of_birth: string | null;
  version: Generated<number>;
  created_at: string;
  updated_at: string;
}

export interface ChildEpisodeTable {
  id: Generated<number>;
  child_id: string;
  status: string;
  from_date: string;
  to_date: string | null;
}

export interface ChildFlagTable {
  id: Generated<number>;
  child_id: string;
  flag: string;
  from_date: string;
  to_date: string | null;
}

export interface ChildAllocationTable {
  id: Generated<number>;
  child_id: string;
  staff_id: string;
  from_date: string;
  to_date: string | null;
}

export interface SessionTable {
  id: string;
  ref: string | null;
  kind: string;
  held_on: string;
  supervisor_id: string | null;
  team_id: string | null;
  recorded_on: string | null;
  shared_on: string | null;
  minutes: number | null;
  version: Generated<number>;
  created_at: string;
  updated_at: string;
  /** planned, held or cancelled; sessions imported from a case system were held. */
  status: Generated<string>;
  /** HH:MM, Europe/London, on held_on. */
  start_time: string | null;
  /** in-person or virtual. */
  mode: string | null;
  location: string | null;
  cancelled_reason: string | null;
  /** The cancelled session this one rearranges. */
  rearranged_from: string | null;
  created_by: string | null;
}

/** What a planned session is to cover: a kind of record and whom it is about. */
export interface SessionPlanTable {
  session_id: string;
  kind: string;
  subject_id: string;
}

export interface RecordTable {
  id: string;
  session_id: string;
  kind: string;
  staff_id: string | null;
  child_id: string | null;
  team_id: string | null;
  /** draft, shared, acknowledged, changes-requested */
  status: string;
  version: Generated<number>;
  /** The answers, by heading id, as JSON. */
  content: string;
  recorded_on: string | null;
  shared_on: string | null;
  acknowledged_on: string | null;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

export interface RecordVersionTable {
  record_id: string;
  version: number;
  content: string;
  status: string;
  saved_by: string | null;
  saved_at: string;
}

/** A child that a group record has a decision about (the decision is in the record's content). */
export interface RecordDecisionTable {
  record_id: string;
  child_id: string;
}

export interface RecordEventTable {
  id: Generated<number>;
  record_id: string;
  version: number;
  /** shared, acknowledged, comment, change-requested, amended, disagreement */
  type: string;
  by_user: string | null;
  at: string;
  text: string | null;
}

export interface ActionTable {
  id: string;
  record_id: string;
  what: string;
  owner_id: string | null;
  due_on: string | null;
  /** open, done, dropped */
  status: string;
  version: Generated<number>;
  created_at: string;
  updated_at: string;
  /** A group record's action about one of the children discussed: it goes onto that child's record too. */
  child_id: string | null;
}

export interface ActionUpdateTable {
  id: Generated<number>;
  action_id: string;
  /** The record in which it was reviewed, if any. */
  record_id: string | null;
  status: string;
  progress: string | null;
  by_user: string | null;
  at: string;
}

export interface RecordReadTable {
  id: Generated<number>;
  record_id: string;
  user_id: string;
  at: string;
  reason: string;
}

export interface SessionSuperviseeTable {
  session_id: string;
  staff_id: string;
  position: number;
}

export interface SessionChildTable {
  session_id: string;
  child_id: string;
  position: number;
}

/** Every revision of a record, whole, as JSON: nothing is overwritten without a copy. */
export interface RevisionTable {
  object_type: string;
  object_id: string;
  version: number;
  at: string;
  user_id: string | null;
  data: string;
}

export interface WebSessionTable {
  id_hash: string;
  user_id: string;
  created_at: string;
  last_seen_at: string;
  /** 'code': the password was right and the second factor is awaited; 'signed-in'. */
  stage: Generated<string>;
  /** How the person signed in: 'password' (local account) or 'oidc' (the authority's identity provider). */
  method: Generated<string>;
  /** A random reference that names the session on its owner's page (never the id or its hash). */
  ref: string;
  /** The browser's User-Agent header at sign-in, cut to 400 characters. */
  user_agent: string | null;
  /** The address signed in from. */
  ip: string | null;
}

/** An account's TOTP secret, encrypted with DATA_KEY; confirmed once a code from it was entered. */
export interface TwoFactorTable {
  user_id: string;
  secret_encrypted: string;
  created_at: string;
  confirmed_at: string | null;
  /** The last TOTP time step accepted: a code of this step or an earlier one is refused. */
  last_step: Generated<number>;
}

/** A sign-in started with the authority's OpenID Connect provider, waiting for its callback; taken once. */
export interface SsoLoginTable {
  state_hash: string;
  nonce: string;
  code_verifier: string;
  return_to: string;
  created_at: string;
}

/** One-use recovery codes, as SHA-256 hashes. */
export interface RecoveryCodeTable {
  user_id: string;
  code_hash: string;
  created_at: string;
  used_at: string | null;
}

/** A one-use link to set a password (an invitation or a reset): only the SHA-256 of its token is stored. */
export interface AccountLinkTable {
  token_hash: string;
  user_id: string;
  purpose: 'invitation' | 'reset';
  created_at: string;
  expires_at: string;
  used_at: string | null;
  /** When a newer link for the account replaced it. */
  revoked_at: string | null;
  created_by: string | null;
}

/** One row per account name tried (a SHA-256 of it, never the text typed): its lock against many addresses. */
export interface LoginThrottleAccountTable {
  account_key: string;
  locked_until: string | null;
  updated_at: string;
}

/** One row per (account, address) pair with attempts not yet followed by a success. */
export interface LoginThrottlePairTable {
  account_key: string;
  address: string;
  attempts: number;
  last_at: string;
  blocked_until: string | null;
}

export interface AuditTable {
  id: Generated<number>;
  at: string;
  user_id: string | null;
  action: string;
  object_type: string;
  object_id: string | null;
  ip: string | null;
  request_id: string | null;
  /**
   * How many times the event happened: 1, except for a group's summary (the repeats after the first) and for
   * groups counted in place before the trail became append-only.
   */
  occurrences: Generated<number>;
  /** A group's summary: when the last repeat happened (`at` is the first repeat); null for every other event. */
  last_at: string | null;
  /** Identifies a group (what, who, from where, which window); null for events that are never grouped. */
  group_key: string | null;
  /** The event's place in the hash chain, from 1 with no gaps. */
  seq: number;
  /** The hash of the event before (64 zeros for the first). */
  prev_hash: string;
  /** sha256 over prev_hash and the event's canonical content (src/audit/chain.ts). */
  hash: string;
}

/** One row (id 1): the chain's last place and hash. Writers lock it to append. */
export interface AuditChainHeadTable {
  id: number;
  seq: number;
  hash: string;
}

/** A group of repeated refusals being counted (not part of the trail): its summary is appended when it closes. */
export interface AuditGroupTable {
  group_key: string;
  window_ends_at: string;
  count: number;
  /** When the second refusal of the group happened: the summary's `at`. */
  second_at: string | null;
  last_at: string;
  user_id: string | null;
  action: string;
  object_type: string;
  object_id: string | null;
  ip: string | null;
}

/** A one-time set-up code (its SHA-256), valid for a day while set-up is not done. */
export interface SetupCodeTable {
  code_hash: string;
  created_at: string;
}

/** A CSV file checked in the web app, waiting for its import to be confirmed. */
export interface ImportUploadTable {
  id: string;
  user_id: string;
  kind: string;
  file_name: string;
  content: string;
  created_at: string;
  imported_at: string | null;
  /** The counts of the import, as JSON, once done. */
  result: string | null;
}

/** A service a senior leader looks after: they see those services only (none: the whole authority). */
export interface LeaderServiceTable {
  user_id: string;
  service_id: string;
}

/** A person or child whose obligations are kept in `obligations`, and whether they are up to date. */
export interface ObligationSubjectTable {
  /** A person, a child, a team (group supervision) or a session (recording deadlines). */
  subject_type: 'staff' | 'child' | 'team' | 'session';
  subject_id: string;
  generation: Generated<number>;
  computed_generation: Generated<number>;
  computed_on: string | null;
  leased_until: string | null;
  /** 1: everything stored is closed and cannot change with the day alone; computed again only when changed. */
  settled: Generated<number>;
  /** Whom the subject counts against on computed_on (docs/adr/0009-obligation-owners.md); null: nobody. */
  staff_id: string | null;
  team_id: string | null;
  service_id: string | null;
}

/** An open obligation of a subject as the engine computed it on the subject's computed_on. */
export interface ObligationTable {
  subject_type: 'staff' | 'child' | 'team' | 'session';
  subject_id: string;
  seq: number;
  rule_id: string;
  requirement: string;
  status: string;
  due: string;
  data: string;
  /** Whom it counts against on computed_on: as the subject's (docs/adr/0009-obligation-owners.md). */
  staff_id: string | null;
  team_id: string | null;
  service_id: string | null;
}

/**
 * Every obligation of a subject (closed ones too) as computed on its computed_on, with whom it is counted against on
 * its due date: the compliance reports group these rows (docs/adr/0007-compliance-history.md).
 */
export interface ObligationHistoryTable {
  subject_type: 'staff' | 'child' | 'team' | 'session';
  subject_id: string;
  seq: number;
  rule_id: string;
  requirement: string;
  /** met (on time), late, missed, due or overdue */
  status: string;
  due: string;
  /** YYYY-MM of due */
  due_month: string;
  met_on: string | null;
  staff_id: string | null;
  team_id: string | null;
  service_id: string | null;
}

/** A version of the policy an administrator adopted, with the day it takes effect. */
export interface PolicyVersionTable {
  id: string;
  seq: number;
  effective_from: string;
  preset: string | null;
  file_name: string | null;
  pack_text: string;
  pack_name: string;
  version_label: string;
  adopted_by: string | null;
  adopted_at: string;
}

/** A pack checked for adoption, with its impact preview (worked out in the background). */
export interface PolicyCandidateTable {
  id: string;
  user_id: string;
  preset: string | null;
  file_name: string | null;
  pack_text: string;
  effective_from: string;
  preview_on: string;
  created_at: string;
  preview_status: string;
  preview_done: Generated<number>;
  preview_total: Generated<number>;
  preview_updated_at: string;
  preview_result: string | null;
  adopted_version_id: string | null;
}

/** Days the authority's offices close (one span, or the same span every year): not working days. */
export interface ClosureDayTable {
  id: string;
  first_day: string;
  last_day: string;
  yearly: Generated<number>;
  reason: string;
  created_by: string | null;
  created_at: string;
}

export interface PolicyStateTable {
  id: number;
  generation: number;
}

export interface Database {
  authority: AuthorityTable;
  users: UserTable;
  user_roles: UserRoleTable;
  services: ServiceTable;
  teams: TeamTable;
  service_periods: ServicePeriodTable;
  team_periods: TeamPeriodTable;
  staff: StaffTable;
  staff_periods: StaffPeriodTable;
  supervision_arrangements: ArrangementTable;
  children: ChildTable;
  child_episodes: ChildEpisodeTable;
  child_flags: ChildFlagTable;
  child_allocations: ChildAllocationTable;
  sessions: SessionTable;
  session_supervisees: SessionSuperviseeTable;
  session_children: SessionChildTable;
  revisions: RevisionTable;
  import_uploads: ImportUploadTable;
  session_plans: SessionPlanTable;
  records: RecordTable;
  record_versions: RecordVersionTable;
  record_decisions: RecordDecisionTable;
  record_events: RecordEventTable;
  actions: ActionTable;
  action_updates: ActionUpdateTable;
  record_reads: RecordReadTable;
  web_sessions: WebSessionTable;
  login_throttle_accounts: LoginThrottleAccountTable;
  login_throttle_pairs: LoginThrottlePairTable;
  audit_events: AuditTable;
  audit_chain_head: AuditChainHeadTable;
  audit_groups: AuditGroupTable;
  setup_codes: SetupCodeTable;
  two_factor: TwoFactorTable;
  recovery_codes: RecoveryCodeTable;
  sso_logins: SsoLoginTable;
  obligation_subjects: ObligationSubjectTable;
  obligations: ObligationTable;
  obligation_history: ObligationHistoryTable;
  policy_versions: PolicyVersionTable;
  policy_candidates: PolicyCandidateTable;
  closure_days: ClosureDayTable;
  policy_state: PolicyStateTable;
  account_links: AccountLinkTable;
  leader_services: LeaderServiceTable;
}
