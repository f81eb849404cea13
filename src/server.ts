import { existsSync } from 'node:fs';
import { loadConfig, ConfigError } from './config.ts';
import { openDatabase } from './db/database.ts';
import { migrateToLatest } from './db/migrate.ts';
import { createServices, serviceOptions } from './services/index.ts';
import { fillDemo, type DemoResult } from './services/demo.ts';
import { SYSTEM_ACTOR } from './services/audit.ts';
import { londonDate } from './services/clock.ts';
import { createApp } from './web/app.ts';
import { perfReportFromEnv } from './perf-report.ts';

if (existsSync('.env')) process.loadEnvFile('.env');

let config;
try {
  config = loadConfig();
} catch (e) {
  if (e instanceof ConfigError) {
    console.error(e.message);
    process.exit(1);
  }
  throw e;
}

const database = openDatabase(config.databaseUrl);
await migrateToLatest(database.db);
const services = createServices(database, undefined, serviceOptions(config));

// `npm start -- --demo`: an empty database is filled with the small demo authority, to explore at once.
let demo: DemoResult | null = null;
if (process.argv.includes('--demo')) {
  if (config.production) {
    console.error('--demo is refused in production: the demo accounts and their passwords are printed for anyone');
    process.exit(1);
  }
  if (await services.setup.authority()) {
    console.log('--demo: the database already holds an authority, so it is used as it is.');
  } else {
    demo = await fillDemo(
      services,
      { size: 'small', policy: 'systemic-4x4x4', seed: 1, on: londonDate(new Date()) },
      { ...SYSTEM_ACTOR, requestId: 'demo' },
    );
  }
}
const app = await createApp(services, config);

// Housekeeping every 10 minutes; harmless when several instances do it.
const housekeeping = setInterval(
  () => {
    services.auth.purgeExpired().catch((err: unknown) => app.log.error({ err }, 'housekeeping failed'));
    services.uploads.purge().catch((err: unknown) => app.log.error({ err }, 'housekeeping failed'));
    services.sso.purge().catch((err: unknown) => app.log.error({ err }, 'housekeeping failed'));
  },
  10 * 60 * 1000,
);
housekeeping.unref();

// What is due for every person and child, kept up to date off the request path (docs/adr/0005).
const stopObligations = services.obligations.start(5_000, (err: unknown) =>
  app.log.error({ err }, 'computing obligations failed'),
);

// SUPERVISE_PERF_REPORT=file (the server benchmark, never production's business): peak memory and the event loop's
// longest delay, written to the file at each SIGUSR2 and at shutdown (src/perf-report.ts).
const perfReport = perfReportFromEnv();
if (perfReport) process.on('SIGUSR2', () => perfReport.mark());

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    app.log.info({ signal }, 'shutting down');
    if (perfReport) {
      perfReport.mark();
      perfReport.stop();
    }
    stopObligations();
    void app
      .close()
      .then(() => database.close())
      .then(() => process.exit(0));
  });
}

await app.listen({ port: config.port, host: config.host });
app.log.info(`Supervise is running on http://localhost:${config.port} (${database.dialect})`);
if (demo) {
  const width = Math.max(...demo.accounts.map((a) => a.role.length));
  console.log(
    `\n${demo.authority} (demo, ${demo.policy} policy) is ready at http://localhost:${config.port}. Sign in as:\n` +
      demo.accounts.map((a) => `  ${a.role.padEnd(width)}  ${a.email}  ${a.password}`).join('\n') +
      "\nEvery account that can read other people's records sets up two-factor sign-in (an authenticator app on a " +
      'phone) the first time it signs in.\n',
  );
}

// Until set-up is done, whoever sets Supervise up must show they can read this log: a new code at every start.
const setupCode = await services.setup.issueSetupCode();
if (setupCode) {
  const message =
    `Supervise is not set up yet. Open it in a browser and enter this set-up code: ${setupCode} ` +
    '(it works for 24 hours; every start prints a new one until set-up is done)';
  if (config.logLevel === 'silent') console.log(message);
  else app.log.warn(message);
}
