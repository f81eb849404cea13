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
  case_holding: number;
  team_id: string | null;
  created_at: string;
  updated_at: string;
}

export interface UserRoleTable {
  user_id: string;
  role: string;
}

export interface ServiceTable {
  id: string;
  name: string;
  created_at: string;
}

export interface TeamTable {
  id: string;
  name: string;
  service_id: string;
  created_at: string;
}

export interface SupervisionTable {
  id: string;
  supervisor_id: string;
  supervisee_id: string;
  from_date: string;
  to_date: string | null;
  created_at: string;
}

export interface WebSessionTable {
  id_hash: string;
  user_id: string;
  created_at: string;
  last_seen_at: string;
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
  /** How many times a grouped event happened in its window; 1 for every other event. */
  occurrences: Generated<number>;
  /** When a grouped event last happened; null until it happens a second time. */
  last_at: string | null;
  /** Identifies a group (what, who, from where, which window); null for events that are never grouped. */
  group_key: string | null;
}

/** A one-time set-up code (its SHA-256), valid for a day while set-up is not done. */
export interface SetupCodeTable {
  code_hash: string;
  created_at: string;
}

export interface Database {
  authority: AuthorityTable;
  users: UserTable;
  user_roles: UserRoleTable;
  services: ServiceTable;
  teams: TeamTable;
  supervision_relationships: SupervisionTable;
  web_sessions: WebSessionTable;
  login_throttle_accounts: LoginThrottleAccountTable;
  login_throttle_pairs: LoginThrottlePairTable;
  audit_events: AuditTable;
  setup_codes: SetupCodeTable;
}
