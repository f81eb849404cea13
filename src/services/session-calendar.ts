/**
 * A session as a calendar file, for the people taking part (the supervisor and the supervisees) and those who
 * manage it (business support, administrators); anyone else is told it does not exist. Each download is audited as
 * an export. The file names no child: calendars are copied to phones and shared with assistants.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { Clock } from './clock.ts';
import { audit, type Actor } from './audit.ts';
import type { Viewer } from './access.ts';
import type { SittingsService } from './sittings.ts';
import { sessionCalendar } from '../calendar/ics.ts';
import { findSitting } from '../repositories/supervision-sessions.ts';
import { findStaff } from '../repositories/staff.ts';

export function createSessionCalendarService(db: Kysely<Database>, clock: Clock, sittings: SittingsService) {
  return {
    /**
     * The session's .ics file (undefined: not found, or not someone's to add). `link` makes the URL of its page.
     */
    async calendar(
      viewer: Viewer,
      id: string,
      actor: Actor,
      link: (id: string) => string,
    ): Promise<{ ics: string; filename: string } | undefined> {
      const s = await findSitting(db, id);
      if (!s) return undefined;
      const takesPart = viewer.staffId !== null && [s.supervisorId, ...s.superviseeIds].includes(viewer.staffId);
      if (!takesPart && !sittings.mayManage(viewer, s)) return undefined;
      const names: string[] = [];
      for (const sid of s.superviseeIds) {
        const st = await findStaff(db, sid);
        if (st) names.push(st.name);
      }
      await audit(db, actor, clock.now(), 'export', 'session', id);
      const withWhom = [s.supervisorName, ...names].filter(Boolean).join(', ');
      const mode = s.mode === 'virtual' ? 'Virtual' : s.mode === 'in-person' ? 'In person' : null;
      const ics = sessionCalendar({
        uid: `${s.id}@supervise`,
        // every change to a session raises its version: calendars take the higher sequence as the newer copy
        sequence: Math.max(0, s.version - 1),
        status: s.status as 'planned' | 'held' | 'cancelled',
        date: s.date,
        startTime: s.startTime,
        minutes: s.minutes,
        summary: `${s.status === 'cancelled' ? 'Cancelled: ' : ''}Supervision${withWhom ? ` with ${withWhom}` : ''}`,
        description: [
          `Supervisor: ${s.supervisorName ?? 'not set'}`,
          `Supervised: ${names.join(', ') || 'nobody yet'}`,
          ...(mode ? [`How: ${mode}`] : []),
          ...(s.status === 'cancelled' && s.cancelledReason ? [`Cancelled: ${s.cancelledReason}`] : []),
          `Details in Supervise: ${link(s.id)}`,
        ].join('\n'),
        location: s.location,
        url: link(s.id),
        stamp: clock.now(),
      });
      return { ics, filename: `supervision-${s.date}.ics` };
    },
  };
}

export type SessionCalendarService = ReturnType<typeof createSessionCalendarService>;
