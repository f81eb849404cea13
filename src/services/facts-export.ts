import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { Facts } from '../policy/index.ts';
import type { Clock } from './clock.ts';
import { audit, type Actor } from './audit.ts';
import { loadFacts } from '../repositories/facts.ts';

/**
 * The database's facts as one document in the format of shared/contracts/due-cli.md, with every field the import
 * reads, so that importing an export into an empty database and exporting again gives the same document. Children's
 * names and dates of birth are not facts: they never leave in an export. Audited.
 */
export function createFactsExport(db: Kysely<Database>, clock: Clock) {
  return {
    async facts(on: string, actor: Actor): Promise<Facts> {
      const { facts } = await loadFacts(db, null, on);
      await audit(db, actor, clock.now(), 'export', 'facts', null);
      return { on, teams: facts.teams, staff: facts.staff, children: facts.children, sessions: facts.sessions };
    },
  };
}
