import { existsSync } from 'node:fs';
import { loadConfig, ConfigError } from './config.ts';
import { openDatabase } from './db/database.ts';
import { migrateToLatest } from './db/migrate.ts';
import { createServices, serviceOptions } from './services/index.ts';
import { createApp } from './web/app.ts';

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

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    app.log.info({ signal }, 'shutting down');
    void app
      .close()
      .then(() => database.close())
      .then(() => process.exit(0));
  });
}

await app.listen({ port: config.port, host: config.host });
app.log.info(`Supervise is running on http://localhost:${config.port} (${database.dialect})`);

// Until set-up is done, whoever sets Supervise up must show they can read this log: a new code at every start.
const setupCode = await services.setup.issueSetupCode();
if (setupCode) {
  const message =
    `Supervise is not set up yet. Open it in a browser and enter this set-up code: ${setupCode} ` +
    '(it works for 24 hours; every start prints a new one until set-up is done)';
  if (config.logLevel === 'silent') console.log(message);
  else app.log.warn(message);
}
