/**
 * A supervision session as an iCalendar file (RFC 5545) that people add to their calendars: one VEVENT with a UID
 * that never changes for the session, a SEQUENCE that grows whenever the session changes (so calendars replace the
 * old copy when it is moved), STATUS:CANCELLED once cancelled, and Europe/London wall-clock times with the zone's
 * VTIMEZONE. Text is escaped (RFC 5545 3.3.11) and lines folded at 75 octets without splitting a character (3.1).
 * Pure: no I/O.
 */

export interface CalendarEvent {
  /** Stable for the session: the calendar's key. */
  uid: string;
  /** Grows with every change to the session. */
  sequence: number;
  status: 'planned' | 'held' | 'cancelled';
  /** YYYY-MM-DD, Europe/London. */
  date: string;
  /** HH:MM, Europe/London; null for a session with no time yet (an all-day entry). */
  startTime: string | null;
  minutes: number | null;
  summary: string;
  description: string;
  location: string | null;
  url: string | null;
  /** When the file is made. */
  stamp: Date;
}

/** Europe/London since 1996: BST from 01:00 UTC on the last Sunday of March to the last Sunday of October. */
const LONDON = [
  'BEGIN:VTIMEZONE',
  'TZID:Europe/London',
  'BEGIN:DAYLIGHT',
  'TZOFFSETFROM:+0000',
  'TZOFFSETTO:+0100',
  'TZNAME:BST',
  'DTSTART:19810329T010000',
  'RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU',
  'END:DAYLIGHT',
  'BEGIN:STANDARD',
  'TZOFFSETFROM:+0100',
  'TZOFFSETTO:+0000',
  'TZNAME:GMT',
  'DTSTART:19961027T020000',
  'RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU',
  'END:STANDARD',
  'END:VTIMEZONE',
];

/** TEXT as RFC 5545 writes it: backslash, semicolon, comma and line breaks escaped. */
export function escapeText(s: string): string {
  return s
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r\n|\r|\n/g, '\\n');
}

const UTF8 = new TextEncoder();

/** One content line folded into lines of at most 75 octets, each continuation starting with a space. */
export function fold(line: string): string {
  const out: string[] = [];
  let current = '';
  let octets = 0;
  for (const ch of line) {
    const size = UTF8.encode(ch).length;
    // the first line may hold 75 octets; a continuation 74 after its leading space
    if (octets + size > (out.length === 0 ? 75 : 74)) {
      out.push(current);
      current = '';
      octets = 0;
    }
    current += ch;
    octets += size;
  }
  out.push(current);
  return out.join('\r\n ');
}

const compactDate = (d: string) => d.replace(/-/g, '');

function utcStamp(d: Date): string {
  return d
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}Z$/, 'Z');
}

function nextDay(d: string): string {
  const x = new Date(`${d}T00:00:00Z`);
  x.setUTCDate(x.getUTCDate() + 1);
  return x.toISOString().slice(0, 10);
}

/** The .ics file for one session, lines ending CRLF. */
export function sessionCalendar(e: CalendarEvent): string {
  const when: string[] = [];
  if (e.startTime) {
    const [h, m] = e.startTime.split(':');
    when.push(`DTSTART;TZID=Europe/London:${compactDate(e.date)}T${h!.padStart(2, '0')}${m!.padStart(2, '0')}00`);
    // a duration rather than an end: right even across a change of the clocks
    when.push(`DURATION:PT${e.minutes && e.minutes > 0 ? e.minutes : 60}M`);
  } else {
    when.push(`DTSTART;VALUE=DATE:${compactDate(e.date)}`, `DTEND;VALUE=DATE:${compactDate(nextDay(e.date))}`);
  }
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Supervise//Supervision sessions//EN',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    ...(e.startTime ? LONDON : []),
    'BEGIN:VEVENT',
    `UID:${e.uid}`,
    `SEQUENCE:${e.sequence}`,
    `DTSTAMP:${utcStamp(e.stamp)}`,
    ...when,
    `SUMMARY:${escapeText(e.summary)}`,
    `DESCRIPTION:${escapeText(e.description)}`,
    ...(e.location ? [`LOCATION:${escapeText(e.location)}`] : []),
    ...(e.url ? [`URL:${e.url}`] : []),
    `STATUS:${e.status === 'cancelled' ? 'CANCELLED' : 'CONFIRMED'}`,
    'TRANSP:OPAQUE',
    'END:VEVENT',
    'END:VCALENDAR',
  ];
  return lines.map(fold).join('\r\n') + '\r\n';
}
