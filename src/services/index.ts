import type { Db } from '../db/database.ts';
import { createAccountsService } from './accounts.ts';
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
import { createObligationsService } from './obligations.ts';
import { createOversightService } from './oversight.ts';
import { createComplianceService } from './compliance.ts';
import { createSittingsService } from './sittings.ts';
import { createRecordsService } from './records.ts';
import { createRecordPrintService } from './record-print.ts';
import { createSessionCalendarService } from './session-calendar.ts';
import { createActionsService } from './actions.ts';
import { createChronologyService } from './chronology.ts';
import { createOrganisationService } from './organisation.ts';
import { createLeaderServicesService } from './leader-services.ts';
import { createPeopleService } from './people.ts';
import { createPolicyService } from './policy.ts';
import { createPolicyStore } from './policy-store.ts';
import { createPolicyAdmin } from './policy-admin.ts';
import { createClosureDaysService } from './closure-days.ts';
import { createSetupService } from './setup.ts';
import { createThrottle } from './throttle.ts';
import { createTwoFactorService } from './two-factor.ts';
import { createDataCipher } from './data-key.ts';
import { developmentDataKey, type Config } from '../config.ts';
import { createSsoService, ssoSettings, type SsoSettings } from './sso.ts';

export interface ServiceOptions {
  /** Encrypts secrets kept in the database; the server passes DATA_KEY. */
  dataKey?: string;
  /** Single sign-on, when the authority configured its provider. */
  sso?: SsoSettings | null;
}

/** The options for the services from the configuration. */
export function serviceOptions(config: Config): ServiceOptions {
  return { dataKey: config.dataKey, sso: ssoSettings(config) };
}

/**
 * The one place services are built from data clients. The server passes serviceOptions(config); tools that touch no
 * encrypted secret and sign nobody in may leave the defaults.
 */
export function createServices(database: Db, clock: Clock = systemClock, options: ServiceOptions = {}) {
  const { db } = database;
  const throttle = createThrottle(db, clock);
  const twoFactor = createTwoFactorService(
    db,
    clock,
    throttle,
    createDataCipher(options.dataKey ?? developmentDataKey()),
  );
  const auth = createAuthService(db, clock, throttle, twoFactor);
  const setup = createSetupService(db, clock, throttle);
  const factsImport = createFactsImport(db, clock);
  const csvImport = createCsvImport(db, factsImport, clock);
  const policyStore = createPolicyStore(db, setup, clock);
  const due = createDueService(db, setup, clock, policyStore);
  const records = createRecordsService(db, clock);
  const children = createChildrenService(db, clock);
  const sittings = createSittingsService(db, clock);
  const obligations = createObligationsService(database, due, clock);
  return {
    database,
    clock,
    setup,
    policy: createPolicyService(setup, clock, policyStore),
    policyAdmin: createPolicyAdmin(database, clock, policyStore),
    closureDays: createClosureDaysService(db, clock),
    auth,
    twoFactor,
    sso: createSsoService(db, clock, auth, options.sso ?? null),
    audit: createAuditService(db, clock),
    admin: createAdminService(db, clock),
    accounts: createAccountsService(db, clock),
    organisation: createOrganisationService(db, clock),
    leaderServices: createLeaderServicesService(db, clock),
    people: createPeopleService(db, clock),
    arrangements: createArrangementsService(db, clock),
    children,
    due,
    obligations,
    oversight: createOversightService(db, clock, obligations),
    compliance: createComplianceService(db, clock, obligations),
    factsImport,
    csvImport,
    uploads: createUploadsService(db, csvImport, clock),
    exporter: createFactsExport(db, clock),
    sittings,
    sessionCalendar: createSessionCalendarService(db, clock, sittings),
    records,
    recordPrint: createRecordPrintService(db, clock, records),
    actions: createActionsService(db, clock, records),
    chronology: createChronologyService(db, clock, children, records),
  };
}

export type Services = ReturnType<typeof createServices>;
