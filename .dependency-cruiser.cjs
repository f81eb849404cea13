// The layering of Supervise, checked by `npm run lint` (see ../shared/STYLE.md): a pure policy core at the bottom,
// then repositories (all SQL) and services, with the web, CLI and job shells around them; no import cycles.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'A module that imports another that imports it back: give the shared part a module of its own.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'policy-core-is-pure',
      severity: 'error',
      comment:
        'src/policy is the pure core: no I/O, no clock, nothing from the app around it. It may use only itself and ' +
        'the parsing and calendar libraries it is built on.',
      from: { path: '^src/policy/', pathNot: ['\\.test\\.ts$', '^src/policy/testkit\\.ts$'] },
      to: {
        pathNot: ['^src/policy/', '^node_modules/(zod|yaml|date-holidays)/'],
      },
    },
    {
      name: 'records-core-is-pure',
      severity: 'error',
      comment: 'src/records holds the templates and rules of supervision records: pure, like the policy core.',
      from: { path: '^src/records/', pathNot: ['\\.test\\.ts$'] },
      to: { pathNot: ['^src/records/', '^src/policy/', '^node_modules/'] },
    },
    {
      name: 'repositories-below-services',
      severity: 'error',
      comment:
        'Repositories hold the SQL and return rows mapped to domain types; they know nothing of services or shells.',
      from: { path: '^src/repositories/' },
      to: { path: '^src/(services|web|cli|jobs)/', pathNot: '^src/services/roles\\.ts$' },
    },
    {
      name: 'services-below-shells',
      severity: 'error',
      comment: 'Services hold the rules of the application; the web, CLI and jobs call them, never the other way.',
      from: { path: '^src/services/' },
      to: { path: '^src/(web|cli|jobs)/' },
    },
    {
      name: 'shells-use-services-not-sql',
      severity: 'error',
      comment: 'The web shell goes through services; only repositories (and the db layer) run SQL.',
      from: { path: '^src/web/' },
      to: { path: '^src/(repositories|db)/', dependencyTypesNot: ['type-only'], pathNot: '^src/db/database\\.ts$' },
    },
    {
      name: 'no-app-code-in-migrations',
      severity: 'error',
      comment: 'Migrations are frozen in time: they never import application code.',
      from: { path: '^src/db/migrations/' },
      to: { path: '^src/' },
    },
    {
      name: 'no-tests-from-app',
      severity: 'error',
      comment: 'Application code never imports test code.',
      from: { path: '^src/', pathNot: ['\\.test\\.ts$'] },
      to: { path: '^test/' },
    },
  ],
  options: {
    preserveSymlinks: true,
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
