/**
 * `supervise audit verify`: checks the audit trail's hash chain on the database DATABASE_URL names. Exit 0 when it
 * is whole, 1 naming the first broken event, 2 on bad input.
 */
import { loadConfig } from '../config.ts';
import { openDatabase } from '../db/database.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { verifyAuditChain } from '../services/audit-verify.ts';
import { UsageError } from './errors.ts';

type Io = { out: NodeJS.WritableStream; err: NodeJS.WritableStream };

export async function runAuditCommand(args: string[], io: Io, env: NodeJS.ProcessEnv): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'verify') {
    throw new UsageError(`audit: expected 'verify', got ${sub === undefined ? 'nothing' : `'${sub}'`}`);
  }
  if (rest.length) throw new UsageError(`audit verify: takes no arguments, got '${rest.join(' ')}'`);
  const config = loadConfig({ ...env, NODE_ENV: env['NODE_ENV'] === 'production' ? 'production' : 'development' });
  const database = openDatabase(config.databaseUrl);
  try {
    await migrateToLatest(database.db);
    const check = await verifyAuditChain(database.db);
    if (check.ok) {
      io.out.write(`The audit trail is whole: ${check.events} events, last hash ${check.head}.\n`);
      return 0;
    }
    io.err.write(`The audit trail is broken: ${check.problem}.\n`);
    return 1;
  } finally {
    await database.close();
  }
}
