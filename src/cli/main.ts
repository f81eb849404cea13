// Each command loads only what it needs: `due` on a facts file never loads the database drivers.
import { existsSync } from 'node:fs';
import { UsageError } from './errors.ts';

/** Exit codes: 0 success, 1 failure while running, 2 bad input or usage. */
export const USAGE = `Usage: supervise <command>

Commands:
  migrate                       bring the database named by DATABASE_URL up to date
  setup --authority NAME --policy PRESET --admin-email EMAIL --admin-password-file FILE [--admin-name NAME]
                                the first-run set-up, without a browser
  import --facts FILE.json [--dry-run]
  import --csv teams|staff|children|episodes|allocations|flags FILE.csv [--dry-run]
                                load the authority's data (upsert by id; nothing is ended)
  export facts [--on YYYY-MM-DD]
                                print the database's facts as one JSON document
  due [--on YYYY-MM-DD] [--history] [--format json]
                                what is due, from the database under the authority's policy
  due --policy <preset|file> --facts <facts.json> [--on YYYY-MM-DD] [--format json] [--history] [--explain]
                                what is due, from a policy and a facts file (no database needed)
  audit verify                  check the audit trail's hash chain: exit 0 when whole, 1 naming the first broken event
  demo --size small|large [--policy PRESET] [--seed N] [--replace] [--format json]
                                fill the database with a realistic demo authority and print its accounts
  admin reset-password EMAIL    print a one-use link for the account to set a new password
  admin create EMAIL [--name NAME]
                                create an administrator's account and print its invitation link
  policy check <file>           validate a policy pack
  policy show <preset|file>     print a policy's rules in plain English
  policy adopt <preset|file> --from YYYY-MM-DD
                                adopt a preset or the authority's own pack (YAML or JSON) from that day
  policy versions [--format json]
                                the authority's policy versions, in the order adopted
  policy closure-days [list|add|remove] ...
                                the authority's closure days: add --first DAY [--last DAY] [--yearly] --reason TEXT;
                                remove ID
`;

export async function main(argv: string[], io = { out: process.stdout, err: process.stderr }): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'migrate': {
        if (existsSync('.env')) process.loadEnvFile('.env');
        const { loadConfig } = await import('../config.ts');
        const { openDatabase } = await import('../db/database.ts');
        const { migrateToLatest } = await import('../db/migrate.ts');
        const config = loadConfig();
        const database = openDatabase(config.databaseUrl);
        try {
          const applied = await migrateToLatest(database.db);
          io.out.write(applied.length ? `Applied: ${applied.join(', ')}\n` : 'The database is up to date.\n');
        } finally {
          await database.close();
        }
        return 0;
      }
      case 'setup':
      case 'import':
      case 'export': {
        if (existsSync('.env')) process.loadEnvFile('.env');
        const { runDataCommand } = await import('./data-commands.ts');
        return await runDataCommand(command, rest, io);
      }
      case 'audit': {
        if (existsSync('.env')) process.loadEnvFile('.env');
        const { runAuditCommand } = await import('./audit-commands.ts');
        return await runAuditCommand(rest, io, process.env);
      }
      case 'demo': {
        if (existsSync('.env')) process.loadEnvFile('.env');
        const { runDemoCommand } = await import('./demo-command.ts');
        return await runDemoCommand(rest, io, process.env);
      }
      case 'admin': {
        if (existsSync('.env')) process.loadEnvFile('.env');
        const { runAdminCommand } = await import('./admin-commands.ts');
        return await runAdminCommand(rest, io);
      }
      case 'due':
      case 'policy': {
        if (command === 'due' && !rest.some((a) => /^--(facts|policy)(=|$)/.test(a))) {
          // without --policy and --facts, what is due is judged on the database
          if (existsSync('.env')) process.loadEnvFile('.env');
          const { dueFromDatabase } = await import('./data-commands.ts');
          return await dueFromDatabase(rest, io, process.env);
        }
        if (command === 'due') {
          const { runDueCommand } = await import('./due-command.ts');
          return await runDueCommand(rest, io);
        }
        if (command === 'policy' && ['adopt', 'versions', 'closure-days'].includes(rest[0] ?? '')) {
          if (existsSync('.env')) process.loadEnvFile('.env');
          const { runPolicyAdminCommand } = await import('./policy-admin-commands.ts');
          return await runPolicyAdminCommand(rest, io, process.env);
        }
        const { runPolicyCommand } = await import('./policy-commands.ts');
        return await runPolicyCommand(rest, io);
      }
      case undefined:
      case '--help':
      case '-h':
      case 'help':
        io.out.write(USAGE);
        return command === undefined ? 2 : 0;
      default:
        io.err.write(`supervise: unknown command '${command}'\n\n${USAGE}`);
        return 2;
    }
  } catch (e) {
    if (e instanceof UsageError) {
      io.err.write(`supervise: ${e.message}\n`);
      return 2;
    }
    io.err.write(`supervise: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
}
