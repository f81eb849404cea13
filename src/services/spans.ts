/** Which of some dated spans (a job's team, a team's service, a child's worker) counts on a day. */
import type { Span } from '../repositories/compliance.ts';

/**
 * What was so on a day: the span in force then (the latest to start, when several are); else the last to end before
 * it; else the first to start after it (a worker allocated a child before their job was recorded).
 */
export function onDay(spans: readonly Span[] | undefined, day: string): string | null {
  if (!spans?.length) return null;
  let best: Span | null = null;
  let before: Span | null = null;
  let after: Span | null = null;
  for (const s of spans) {
    if (s.from > day) {
      if (!after || s.from < after.from) after = s;
    } else if (s.to === null || s.to >= day) {
      if (!best || s.from > best.from || (s.from === best.from && s.id < best.id)) best = s;
    } else if (!before || (s.to ?? '') > (before.to ?? '')) before = s;
  }
  const id = (best ?? before ?? after)?.id;
  return id ? id : null;
}
