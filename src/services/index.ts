import type { Db } from '../db/database.ts';
import { createAdminService } from './admin.ts';
import { createAuditService } from './audit.ts';
import { createAuthService } from './auth.ts';
import { systemClock, type Clock } from './clock.ts';
import { createSetupService } from './setup.ts';
import { createPolicyService } from './policy.ts';
import { createThrottle } from './throttle.ts';

/** The one place services are built from data clients. */
export function createServices(database: Db, clock: Clock = systemClock) {
  const { db } = database;
  const throttle = createThrottle(db, clock);
  const setup = createSetupService(db, clock, throttle);
  return {
    database,
    clock,
    setup,
    policy: createPolicyService(setup, clock),
    auth: createAuthService(db, clock, throttle),
    audit: createAuditService(db, clock),
    admin: createAdminService(db, clock),
  };
}

export type Services = ReturnType<typeof createServices>;
