import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import nunjucks from 'nunjucks';
import { paths } from './paths.ts';
import { ROLE_LABELS } from '../services/roles.ts';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const govukDist = join(dirname(require.resolve('govuk-frontend/package.json')), 'dist');

export function createRenderer() {
  const env = new nunjucks.Environment(
    new nunjucks.FileSystemLoader([join(here, 'views'), join(here, 'features'), govukDist], {
      noCache: process.env.NODE_ENV === 'development',
    }),
    { autoescape: true, throwOnUndefined: false },
  );
  env.addGlobal('paths', paths);
  env.addGlobal('roleLabels', ROLE_LABELS);
  env.addFilter('date', (iso: string | null | undefined) => {
    if (!iso) return '';
    const d = new Date(iso.length === 10 ? `${iso}T12:00:00Z` : iso);
    return new Intl.DateTimeFormat('en-GB', {
      day: 'numeric',
      month: 'long',
      year: 'numeric',
      timeZone: 'Europe/London',
    }).format(d);
  });
  env.addFilter('datetime', (iso: string | null | undefined) => {
    if (!iso) return '';
    return new Intl.DateTimeFormat('en-GB', {
      day: 'numeric',
      month: 'long',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      timeZone: 'Europe/London',
    }).format(new Date(iso));
  });
  return (template: string, context: Record<string, unknown>): string => env.render(template, context);
}

export type Render = ReturnType<typeof createRenderer>;
