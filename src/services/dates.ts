import { addDays, format, parseISO } from 'date-fns';

/** Calendar dates (`YYYY-MM-DD`, Europe/London) one day either side. */
export function dayBefore(iso: string): string {
  return format(addDays(parseISO(iso), -1), 'yyyy-MM-dd');
}

export function dayAfter(iso: string): string {
  return format(addDays(parseISO(iso), 1), 'yyyy-MM-dd');
}

/** The later / earlier of two calendar dates. */
export function laterOf(a: string, b: string): string {
  return a > b ? a : b;
}

export function earlierOf(a: string, b: string): string {
  return a < b ? a : b;
}

const LONG = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });

/** A calendar date as people read it in a message: "2 March 2026". */
export function longDate(iso: string): string {
  return LONG.format(new Date(`${iso}T00:00:00Z`));
}
