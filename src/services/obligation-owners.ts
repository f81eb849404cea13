/**
 * Whom a subject's open obligations count against today (docs/adr/0009-obligation-owners.md): the rule of the
 * compliance history (`attribute` in services/obligations.ts), asked about the day of the computation rather than
 * each due date, over only what is in force that day: someone who has left a team, or a child no longer allocated,
 * counts against nobody there, as on the oversight pages before owners were stored.
 */
import type { AttributionSpans, Span } from '../repositories/compliance.ts';

function inForce(map: ReadonlyMap<string, readonly Span[]>, day: string): Map<string, Span[]> {
  const out = new Map<string, Span[]>();
  for (const [key, spans] of map) {
    const now = spans.filter((s) => s.from <= day && (s.to === null || s.to >= day));
    if (now.length) out.set(key, now);
  }
  return out;
}

/** A batch's spans reduced to those in force on `day`: `attribute` over them on `day` gives today's owner. */
export function spansOn(spans: AttributionSpans, day: string): AttributionSpans {
  return {
    allocations: inForce(spans.allocations, day),
    teams: inForce(spans.teams, day),
    services: inForce(spans.services, day),
  };
}
