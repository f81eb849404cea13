/**
 * How long a recorded session takes to show on the dashboards, for the server benchmark. The team manager records,
 * through the services layer on the server's own database, a supervision agreement session held today with one of
 * the people they supervise whose agreement the manager's home page shows overdue; the manager's home page and
 * oversight page are then asked for every 50 ms until that person's overdue agreement is gone from each.
 */
import { performance } from 'node:perf_hooks';
import { openDatabase } from '../src/db/database.ts';
import { createServices } from '../src/services/index.ts';
import { findStaffByEmail } from '../src/repositories/staff.ts';
import { findUserByEmail } from '../src/repositories/users.ts';
import { londonDate } from '../src/services/clock.ts';
import type { WebClient } from './web-client.ts';

export interface Freshness {
  /** Whose agreement was recorded. */
  who: string;
  /** From the service call's return to the page no longer showing it overdue; null: not within the time allowed. */
  homeMs: number | null;
  oversightMs: number | null;
  /** How long recording the session took (the service call). */
  recordMs: number;
}

/** The page's text, tags stripped and spaces squeezed. */
export function pageText(html: string): string {
  const main = /<main[\s\S]*?<\/main>/.exec(html)?.[0] ?? html;
  return main
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;|&rsquo;/g, '’')
    .replace(/\s+/g, ' ');
}

/**
 * Whether the page shows `name`'s supervision agreement overdue: on the home page a row "name, what, due, status",
 * on the oversight page "name, team, next due, what, status".
 */
export function showsOverdueAgreement(html: string, name: string): boolean {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const date = '\\d{1,2} [A-Z][a-z]+ \\d{4}';
  const row = `${escaped} (?:[^0-9]{0,80}? ${date} A supervision agreement|A supervision agreement ${date}) Overdue`;
  return new RegExp(row).test(pageText(html));
}

async function until(client: WebClient, path: string, gone: (html: string) => boolean, t0: number, limitMs: number) {
  while (performance.now() - t0 < limitMs) {
    const page = await client.get(path);
    if (page.status === 200 && gone(page.body)) return performance.now() - t0;
    await new Promise((r) => setTimeout(r, 50));
  }
  return null;
}

export async function measureFreshness(
  databaseUrl: string,
  manager: { email: string; client: WebClient },
  limitMs = 60_000,
): Promise<Freshness | string> {
  const database = openDatabase(databaseUrl);
  try {
    const services = createServices(database);
    const staff = await findStaffByEmail(database.db, manager.email);
    const user = await findUserByEmail(database.db, manager.email);
    if (!staff || !user) return `no staff record or account for ${manager.email}`;
    const viewer = { userId: user.id, roles: user.roles, staffId: staff.id };
    const { supervisees } = await services.sittings.choices(viewer);
    const home = (await manager.client.get('/')).body;
    const oversight = (await manager.client.get('/oversight')).body;
    const person = supervisees.find(
      (s) =>
        supervisees.filter((o) => o.name === s.name).length === 1 &&
        showsOverdueAgreement(home, s.name) &&
        showsOverdueAgreement(oversight, s.name),
    );
    if (!person) return 'nobody the team manager supervises has an overdue agreement on both pages';
    const t0 = performance.now();
    const recorded = await services.sittings.recordHeld(
      viewer,
      {
        date: londonDate(new Date()),
        startTime: '09:00',
        minutes: 60,
        mode: 'in-person',
        location: null,
        supervisorId: staff.id,
        superviseeIds: [person.id],
        covers: [{ kind: 'agreement', subjectId: person.id }],
      },
      { userId: user.id, requestId: 'bench', ip: '127.0.0.1' },
    );
    if (!recorded.ok) return `recording the session was refused: ${JSON.stringify(recorded)}`;
    const t1 = performance.now();
    const gone = (html: string) => !showsOverdueAgreement(html, person.name);
    const [homeMs, oversightMs] = await Promise.all([
      until(manager.client, '/', gone, t1, limitMs),
      until(manager.client, '/oversight', gone, t1, limitMs),
    ]);
    return { who: person.name, homeMs, oversightMs, recordMs: t1 - t0 };
  } finally {
    await database.close();
  }
}
