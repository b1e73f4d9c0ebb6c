/**
 * Which way imports may run between the folders of src/ (docs/architecture.md draws the map);
 * `npm run lint` fails on any rule broken. Imports run downwards only:
 *
 *   cli/  →  server/, demo/  →  the domains (accounts/, links/, conversions/ …)  →  http/, db/  →  config/  →  shared/
 *
 * and no two folders, nor two files, import each other, however indirectly.
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-folder-circular',
      comment: 'No two folders of src/ may import each other, however indirectly.',
      severity: 'error',
      scope: 'folder',
      from: { path: '^src/[^/]+' },
      to: { circular: true },
    },
    {
      name: 'no-circular',
      comment: 'No two modules may import each other, however indirectly (type-only imports included).',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'shared-imports-nothing',
      comment: 'shared/ holds what every layer uses; it imports nothing else of src/.',
      severity: 'error',
      from: { path: '^src/shared/' },
      to: { path: '^src/', pathNot: '^src/shared/' },
    },
    {
      name: 'config-imports-only-shared',
      comment: 'config/ parses the environment; it imports only shared/.',
      severity: 'error',
      from: { path: '^src/config/' },
      to: { path: '^src/', pathNot: '^src/(config|shared)/' },
    },
    {
      name: 'db-imports-no-domain',
      comment: 'db/ (connections, schema, migrations, statements) imports only config/ and shared/.',
      severity: 'error',
      from: { path: '^src/db/' },
      to: { path: '^src/', pathNot: '^src/(db|config|shared)/' },
    },
    {
      name: 'http-imports-no-domain',
      comment:
        'http/ is the HTTP library the domains use (auth, errors, schemas, ownership, headers); it imports only shared/.',
      severity: 'error',
      from: { path: '^src/http/' },
      to: { path: '^src/', pathNot: '^src/(http|shared)/' },
    },
    {
      name: 'no-domain-imports-the-wiring',
      comment: 'server/ wires the domains into the running server; nothing but cli/ imports it.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/(server|cli)/' },
      to: { path: '^src/server/' },
    },
    {
      name: 'nothing-imports-the-demo',
      comment: 'demo/ loads demo data through the domains; only cli/ imports it.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/(demo|cli)/' },
      to: { path: '^src/demo/' },
    },
    {
      name: 'nothing-imports-the-cli',
      comment: 'cli/ is the entry point; nothing imports it.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/cli/' },
      to: { path: '^src/cli/' },
    },
  ],
  options: {
    // The registry's TypeScript (7) has no JavaScript API: modules are parsed with swc.
    parser: 'swc',
    // Type-only imports count: a circle of types is still a circle.
    tsPreCompilationDeps: true,
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|node_modules)/' },
  },
};
