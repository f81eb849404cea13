// Compiles GOV.UK Frontend's Sass with the authority's branding (system font, no GOV.UK crown or Transport font)
// into public/, and copies the GOV.UK Frontend script beside it.
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as sass from 'sass';

const require = createRequire(import.meta.url);
const root = join(dirname(new URL(import.meta.url).pathname), '..');
const govuk = join(dirname(require.resolve('govuk-frontend/package.json')), 'dist', 'govuk');
const mojFrontend = join(dirname(require.resolve('@ministryofjustice/frontend/package.json')), 'moj');
const out = join(root, 'public');
mkdirSync(out, { recursive: true });

const result = sass.compile(join(root, 'src', 'web', 'styles', 'app.scss'), {
  loadPaths: [join(root, 'node_modules')],
  style: 'compressed',
  quietDeps: true,
  silenceDeprecations: ['import'],
});
// MoJ Frontend's sortable table and filter, compiled on their own (see moj.scss) and appended
const moj = sass.compile(join(root, 'src', 'web', 'styles', 'moj.scss'), {
  loadPaths: [join(root, 'node_modules'), root],
  style: 'compressed',
  quietDeps: true,
  silenceDeprecations: ['import'],
});
writeFileSync(join(out, 'app.css'), `${result.css}\n${moj.css}`);
copyFileSync(join(govuk, 'govuk-frontend.min.js'), join(out, 'govuk-frontend.min.js'));
copyFileSync(join(root, 'src', 'web', 'styles', 'app.mjs'), join(out, 'app.mjs'));
copyFileSync(
  join(mojFrontend, 'components', 'sortable-table', 'sortable-table.bundle.mjs'),
  join(out, 'moj-sortable-table.mjs'),
);
copyFileSync(join(root, 'src', 'web', 'styles', 'favicon.svg'), join(out, 'favicon.svg'));
console.log('Built public/app.css');
