/**
 * The layering of src/ and bench/, checked by `npm run lint` (CI runs it) and test/layering.test.ts:
 * data flows server → graph → vendors; simulators stand apart and share only each vendor's contract.
 */
module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      severity: 'error',
      comment: 'No import cycle anywhere in src/.',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'vendors-know-no-graphql',
      severity: 'error',
      comment: 'Vendor clients are standalone SDKs: they never import the graph, the simulators or the server (memoize.ts, a pure helper importing nothing, is shared).',
      from: { path: '^src/vendors/' },
      to: { path: '^src/(graph|generated|simulators|graphiql)/|^src/[^/]+\\.ts$', pathNot: '^src/memoize\\.ts$' },
    },
    {
      name: 'simulators-share-only-contracts',
      severity: 'error',
      comment: 'Simulators import only the vendor registry, each vendor\'s contract (paths, limits, wire types, signing) and the UUID format, never a client or the graph.',
      from: { path: '^src/simulators/' },
      to: {
        path: '^src/',
        pathNot: '^src/simulators/|^src/vendors/vendor\\.ts$|^src/vendors/[^/]+/contract\\.ts$|^src/vendors/naver-cloud/signature\\.ts$|^src/vendors/uuid\\.ts$',
      },
    },
    {
      name: 'graph-not-server',
      severity: 'error',
      comment: 'The graph is served by the server; it never imports start-up, the HTTP app or the simulators.',
      from: { path: '^src/(graph|generated)/' },
      to: { path: '^src/(simulators|graphiql)/|^src/(app|server|config|endpoints|telemetry)\\.ts$' },
    },
    {
      name: 'src-not-tests',
      severity: 'error',
      comment: 'Shipped code never imports tests or benchmarks.',
      from: { path: '^src/' },
      to: { path: '^(test|bench)/' },
    },
    {
      name: 'bench-not-tests',
      severity: 'error',
      comment: 'Benchmarks import no test support.',
      from: { path: '^bench/' },
      to: { path: '^test/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
