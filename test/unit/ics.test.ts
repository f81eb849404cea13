// The iCalendar writer (src/calendar/ics.ts): RFC 5545 escaping, folding at 75 octets without splitting a character,
// CRLF line ends, Europe/London times with their VTIMEZONE, and an all-day entry when there is no time.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { escapeText, fold, sessionCalendar, type CalendarEvent } from '../../src/calendar/ics.ts';

const event: CalendarEvent = {
  uid: 'abc@supervise',
  sequence: 2,
  status: 'planned',
  date: '2026-06-02',
  startTime: '9:30',
  minutes: 90,
  summary: 'Supervision with Tess Manager, Sam Worker',
  description: 'Supervisor: Tess Manager\nHow: In person; Room 2\\3',
  location: 'Room 2, Shire Hall',
  url: 'https://supervise.example/sessions/abc',
  stamp: new Date('2026-11-23T09:00:00.123Z'),
};

/** Unfolds content lines (RFC 5545 3.1). */
const unfold = (ics: string) => ics.replace(/\r\n /g, '');

test('text is escaped: backslash, semicolon, comma and line breaks', () => {
  assert.equal(escapeText('a\\b;c,d\ne\r\nf'), 'a\\\\b\\;c\\,d\\ne\\nf');
});

test('lines are folded at 75 octets, never inside a character, and unfold to the original', () => {
  const line = `DESCRIPTION:${'Zoë’s review – '.repeat(20)}`;
  const folded = fold(line);
  for (const l of folded.split('\r\n')) assert.ok(Buffer.byteLength(l, 'utf8') <= 75, l);
  assert.ok(
    folded
      .split('\r\n')
      .slice(1)
      .every((l) => l.startsWith(' ')),
  );
  assert.equal(folded.replace(/\r\n /g, ''), line);
  assert.ok(!folded.includes('\uFFFD'));
  assert.equal(fold('SHORT:x'), 'SHORT:x');
});

test('a timed session: Europe/London wall-clock start with its VTIMEZONE, a duration, CRLF everywhere', () => {
  const ics = sessionCalendar(event);
  assert.ok(ics.endsWith('\r\n'));
  assert.equal(ics.replace(/\r\n/g, '').includes('\n'), false, 'no bare line feeds');
  const lines = unfold(ics).split('\r\n');
  for (const expected of [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Supervise//Supervision sessions//EN',
    'TZID:Europe/London',
    'RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU',
    'UID:abc@supervise',
    'SEQUENCE:2',
    'DTSTAMP:20261123T090000Z',
    'DTSTART;TZID=Europe/London:20260602T093000',
    'DURATION:PT90M',
    'SUMMARY:Supervision with Tess Manager\\, Sam Worker',
    'DESCRIPTION:Supervisor: Tess Manager\\nHow: In person\\; Room 2\\\\3',
    'LOCATION:Room 2\\, Shire Hall',
    'URL:https://supervise.example/sessions/abc',
    'STATUS:CONFIRMED',
    'END:VCALENDAR',
  ]) {
    assert.ok(lines.includes(expected), `missing ${expected}\n${lines.join('\n')}`);
  }
  assert.equal(lines.filter((l) => l === 'BEGIN:VEVENT').length, 1);
  assert.ok(lines.indexOf('END:VTIMEZONE') < lines.indexOf('BEGIN:VEVENT'));
});

test('cancelled says so; no time is an all-day entry with no time zone needed', () => {
  const cancelled = unfold(sessionCalendar({ ...event, status: 'cancelled', sequence: 3 })).split('\r\n');
  assert.ok(cancelled.includes('STATUS:CANCELLED'));
  assert.ok(cancelled.includes('SEQUENCE:3'));
  const allDay = unfold(sessionCalendar({ ...event, startTime: null, minutes: null, date: '2026-12-31' })).split(
    '\r\n',
  );
  assert.ok(allDay.includes('DTSTART;VALUE=DATE:20261231'));
  assert.ok(allDay.includes('DTEND;VALUE=DATE:20270101'));
  assert.ok(!allDay.includes('BEGIN:VTIMEZONE'));
  const noLength = unfold(sessionCalendar({ ...event, minutes: null })).split('\r\n');
  assert.ok(noLength.includes('DURATION:PT60M'));
});
