/**
 * Module boundaries (docs/architecture.md, "Modules and table ownership"), checked by `npm run lint`.
 * A feature module is a folder directly under src/ that owns tables: add new ones to FEATURES and
 * MAY_USE.
 */
const FEATURES = ['accounts', 'invitations', 'projects', 'tickets', 'activity', 'comments', 'notifications', 'live'];
const feature = `^src/(${FEATURES.join('|')})/`;
/**
 * Any folder under src/ but the shared infrastructure beneath every feature, so that a new
 * feature folder is covered by the cycle rule before anyone lists it. With scope 'folder', paths
 * are folder names (src/projects, src/projects/dto).
 */
const featureFolder = '^src/(?!(common|config|database|jobs|mail)(/|$))[^/]+(/|$)';

/** Which features each one may depend on: dependencies point one way. */
const MAY_USE = {
  accounts: [],
  projects: ['accounts'],
  invitations: ['projects', 'accounts'],
  tickets: ['projects', 'accounts', 'activity'],
  activity: ['accounts'],
  comments: ['tickets', 'activity', 'projects', 'accounts'],
  notifications: ['comments', 'tickets', 'projects', 'accounts'],
  // Listens to every module's domain events; nothing imports it.
  live: ['notifications', 'comments', 'tickets', 'projects', 'accounts'],
};

module.exports = {
  forbidden: [
    {
      name: 'no-feature-cycles',
      severity: 'error',
      comment: 'Feature modules must not depend on each other in a circle, even through other folders.',
      scope: 'folder',
      from: { path: featureFolder },
      to: { path: featureFolder, circular: true },
    },
    ...FEATURES.map((name) => ({
      name: `${name}-depends-only-downwards`,
      severity: 'error',
      comment: `${name} may use ${MAY_USE[name].join(', ') || 'no other feature'}; a module above reacts to domain events instead.`,
      from: { path: `^src/${name}/` },
      to: {
        path: feature,
        pathNot: [`^src/(${[name, ...MAY_USE[name]].join('|')})/`],
      },
    })),
    {
      name: 'no-foreign-models',
      severity: 'error',
      comment:
        "A feature reads and writes its own tables only: call the owning module's service. Allowed: model files " +
        'declaring associations, and type-only imports (a User in a signature).',
      from: { path: feature, pathNot: '\\.model\\.ts$' },
      to: {
        path: '^src/([^/]+)/.+\\.model\\.ts$',
        pathNot: '^src/$1/',
        dependencyTypesNot: ['type-only'],
      },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Specs may reach anywhere; src/database/models.ts registers every model on the connection by
    // design (it would otherwise close a folder cycle feature -> database -> feature).
    exclude: { path: ['\\.spec\\.ts$', '^src/database/models\\.ts$'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
