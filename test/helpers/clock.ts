import type { Clock } from '../../src/services/clock.ts';

/** A clock tests move by hand. */
export class TestClock implements Clock {
  private t: number;
  constructor(start = '2026-11-23T09:00:00Z') {
    this.t = Date.parse(start);
  }
  now(): Date {
    return new Date(this.t);
  }
  advance(ms: number): void {
    this.t += ms;
  }
  advanceMinutes(m: number): void {
    this.advance(m * 60_000);
  }
}
