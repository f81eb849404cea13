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
