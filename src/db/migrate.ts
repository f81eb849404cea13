import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import * as initial from './migrations/2026-11-25T1200_initial.ts';
import * as loginThrottle from './migrations/2026-11-28T1300_login_throttle.ts';
import * as auditGroups from './migrations/2026-11-28T1400_audit_groups.ts';
import * as casework from './migrations/2026-11-28T1500_casework.ts';
import * as setupCodes from './migrations/2026-11-28T1500_setup_codes.ts';
import * as importUploads from './migrations/2026-11-28T1800_import_uploads.ts';
import * as records from './migrations/2026-11-29T1000_records.ts';
import * as accounts from './migrations/2026-11-30T1000_accounts.ts';
import * as twoFactor from './migrations/2026-11-30T1100_two_factor.ts';
import * as actions from './migrations/2026-11-30T1200_actions.ts';
import * as ssoLogins from './migrations/2026-11-30T1200_sso_logins.ts';
import * as auditChain from './migrations/2026-11-30T1300_audit_chain.ts';
import * as obligations from './migrations/2026-11-30T1400_obligations.ts';
import * as obligationHistory from './migrations/2026-12-01T1000_obligation_history.ts';
import * as policyVersions from './migrations/2026-12-01T1100_policy_versions.ts';
import * as staffStage from './migrations/2026-12-01T1200_staff_stage.ts';
import * as leaderServices from './migrations/2026-12-02T0100_leader_services.ts';
import * as obligationOwners from './migrations/2026-12-02T0100_obligation_owners.ts';
import * as groupObligations from './migrations/2026-12-02T0200_group_obligations.ts';
import * as recordDecisions from './migrations/2026-12-02T0700_record_decisions.ts';
import type { Database } from './schema.ts';

/** Every migration, in order. Add new files here; never edit an existing one. */
const migrations: Record<string, Migration> = {
  '2026-11-25T1200_initial': initial,
  '2026-11-28T1300_login_throttle': loginThrottle,
  '2026-11-28T1400_audit_groups': auditGroups,
  '2026-11-28T1500_casework': casework,
  '2026-11-28T1500_setup_codes': setupCodes,
  '2026-11-28T1800_import_uploads': importUploads,
  '2026-11-29T1000_records': records,
  '2026-11-30T1000_accounts': accounts,
  '2026-11-30T1100_two_factor': twoFactor,
  '2026-11-30T1200_actions': actions,
  '2026-11-30T1200_sso_logins': ssoLogins,
  '2026-11-30T1300_audit_chain': auditChain,
  '2026-11-30T1400_obligations': obligations,
  '2026-12-01T1000_obligation_history': obligationHistory,
  '2026-12-01T1100_policy_versions': policyVersions,
  '2026-12-01T1200_staff_stage': staffStage,
  '2026-12-02T0100_leader_services': leaderServices,
  '2026-12-02T0100_obligation_owners': obligationOwners,
  '2026-12-02T0200_group_obligations': groupObligations,
  '2026-12-02T0700_record_decisions': recordDecisions,
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

/**
 * Brings the schema up to date. Throws with the failing migration's name on error. Migrations are independent of one
 * another, so one that lands with an earlier timestamp than one already run (work merged from a branch) still runs.
 */
export async function migrateToLatest(db: Kysely<Database>): Promise<string[]> {
  const migrator = new Migrator({ db, provider, allowUnorderedMigrations: true });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error) {
    const msg = error instanceof Error ? error.message : String(error);
    throw new Error(`Migration ${failed?.migrationName ?? ''} failed: ${msg}`);
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** Brings the schema to the named migration and no further (tests of a migration's data step). */
export async function migrateUpTo(db: Kysely<Database>, name: string): Promise<void> {
  const { error } = await new Migrator({ db, provider }).migrateTo(name);
  if (error) throw error instanceof Error ? error : new Error(String(error));
}
