// An authenticator app for tests: it remembers, per app and account, the secret enrolled with and the recovery codes
// shown, and gives a code that the app will accept at the app's (test) clock's time.
import { generate } from 'otplib';
import type { Clock } from '../../src/services/clock.ts';

export class Authenticator {
  /** The last time step a code was given for: the app refuses a step used before. */
  private lastStep = 0;
  recoveryCodes: string[] = [];
  constructor(readonly secret: string) {}

  /** A code for the earliest step the app accepts now (one either side of now) and was not used; else a recovery code. */
  async code(clock: Clock): Promise<string> {
    const now = Math.floor(clock.now().getTime() / 1000);
    const current = Math.floor(now / 30);
    for (const step of [current - 1, current, current + 1]) {
      if (step > this.lastStep) {
        this.lastStep = step;
        return generate({ secret: this.secret, epoch: step * 30 });
      }
    }
    const recovery = this.recoveryCodes.shift();
    if (!recovery) throw new Error('the test authenticator ran out of codes: advance the clock');
    return recovery;
  }
}

const apps = new WeakMap<object, Map<string, Authenticator>>();

/** The authenticator of an account in one test app (keyed by any object unique to the app, its services). */
export function authenticators(app: object): Map<string, Authenticator> {
  let m = apps.get(app);
  if (!m) apps.set(app, (m = new Map()));
  return m;
}

/** The setup key as the set-up page shows it (groups of four), as an authenticator takes it. */
export function secretFromPage(text: string): string {
  return text.replace(/\s+/g, '');
}
