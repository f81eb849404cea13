import type { Db } from '../db/database.ts';
import { createAdminService } from './admin.ts';
import { createArrangementsService } from './arrangements.ts';
import { createAuditService } from './audit.ts';
import { createAuthService } from './auth.ts';
import { createChildrenService } from './children.ts';
import { systemClock, type Clock } from './clock.ts';
import { createDueService } from './due.ts';
import { createCsvImport } from './csv-import.ts';
import { createFactsExport } from './facts-export.ts';
import { createFactsImport } from './facts-import.ts';
import { createUploadsService } from './uploads.ts';
import { createSittingsService } from './sittings.ts';
import { createRecordsService } from './records.ts';
import { createOrganisationService } from './organisation.ts';
import { createPeopleService } from './people.ts';
import { createPolicyService } from './policy.ts';
import { createSetupService } from './setup.ts';
import { createThrottle } from './throttle.ts';
import { createTwoFactorService } from './two-factor.ts';
import { createDataCipher } from './data-key.ts';
import { developmentDataKey } from '../config.ts';

/**
 * The one place services are built from data clients. `dataKey` encrypts secrets kept in the database: the server
 * passes the configured DATA_KEY; tools that touch no such secret may leave the development one.
 */
export function createServices(database: Db, clock: Clock = systemClock, dataKey: string = developmentDataKey()) {
  const { db } = database;
  const throttle = createThrottle(db, clock);
  const twoFactor = createTwoFactorService(db, clock, throttle, createDataCipher(dataKey));
  const setup = createSetupService(db, clock, throttle);
  const factsImport = createFactsImport(db, clock);
  const csvImport = createCsvImport(db, factsImport, clock);
  return {
    database,
    clock,
    setup,
    policy: createPolicyService(setup, clock),
    auth: createAuthService(db, clock, throttle, twoFactor),
    twoFactor,
    audit: createAuditService(db, clock),
    admin: createAdminService(db, clock),
    organisation: createOrganisationService(db, clock),
    people: createPeopleService(db, clock),
    arrangements: createArrangementsService(db, clock),
    children: createChildrenService(db, clock),
    due: createDueService(db, setup, clock),
    factsImport,
    csvImport,
    uploads: createUploadsService(db, csvImport, clock),
    exporter: createFactsExport(db, clock),
    sittings: createSittingsService(db, clock),
    records: createRecordsService(db, clock),
  };
}

export type Services = ReturnType<typeof createServices>;
