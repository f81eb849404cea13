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

export interface LoginAttemptTable {
  id: Generated<number>;
  email: string;
  ip: string;
  at: string;
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
}

export interface Database {
  authority: AuthorityTable;
  users: UserTable;
  user_roles: UserRoleTable;
  services: ServiceTable;
  teams: TeamTable;
  supervision_relationships: SupervisionTable;
  web_sessions: WebSessionTable;
  login_attempts: LoginAttemptTable;
  audit_events: AuditTable;
}
