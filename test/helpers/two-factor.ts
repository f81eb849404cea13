// An authenticator app for tests: it remembers, per app and account, the secret enrolled with and the recovery codes
// shown, and gives a code that the app will accept at the app's (test) clock's time.
import { generate } from 'otplib';
import type { Clock } from '../../src/services/clock.ts';

export class Authenticator {
  /** The last time step a code was given for: the app refuses a step used before. */
  private lastStep = 0;
  recoveryCodes: string[] = [];
  constructor(readonly secret: string) {}

  /**
   * A code for the earliest step the app accepts now (one either side of now) and was not used. When all three were
   * (a fourth sign-in at one instant), a test clock is moved on 30 seconds, as a person would wait for the next code.
   */
  async code(clock: Clock & { advance?: (ms: number) => void }): Promise<string> {
    for (let tries = 0; tries < 2; tries++) {
      const current = Math.floor(clock.now().getTime() / 1000 / 30);
      for (const step of [current - 1, current, current + 1]) {
        if (step > this.lastStep) {
          this.lastStep = step;
          return generate({ secret: this.secret, epoch: step * 30 });
        }
      }
      if (!clock.advance) break;
      clock.advance(30_000);
    }
    throw new Error('the test authenticator has no unused code at this time: advance the clock');
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
