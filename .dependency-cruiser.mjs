// The architecture's rules, checked by `npm run lint` (ARCHITECTURE.md, "Dependency rules").
// Type-only imports count: a type is a dependency too (tsPreCompilationDeps).

/**
 * The modules from the bottom up. A module may import modules of lower layers only: never one of
 * its own layer, never one above. A new module must be placed here, or the build fails.
 */
const LAYERS = [
  ["permissions", "password-policy", "idempotency", "reset-tokens", "throttling", "retention"],
  ["audit"],
  // Sessions name the staff columns a request carries (SessionPrincipal) instead of importing staff.
  ["messaging", "sessions"],
  ["two-factor"],
  ["staff", "sms-credits"],
  // Credentials read a sign-in's account themselves (credentials.repository.ts): accounts, above,
  // sets the owner's first password through credentials.
  ["credentials"],
  ["accounts", "security-overview", "forward-auth"],
  ["password-reset", "identity-provider"],
  ["support"],
];

const layerRules = LAYERS.flatMap((layer, index) =>
  layer.map((module) => {
    const notBelow = LAYERS.slice(index)
      .flat()
      .filter((other) => other !== module);
    return {
      name: `layer-${module}`,
      comment: `${module} may import only modules of lower layers (ARCHITECTURE.md)`,
      severity: "error",
      from: { path: `^src/modules/${module}/`, pathNot: "\\.test\\.ts$" },
      to: { path: `^src/modules/(${notBelow.join("|")})/` },
    };
  }),
);

const placed = LAYERS.flat().join("|");

export default {
  forbidden: [
    {
      name: "no-circular",
      comment: "No import cycles, between modules or files.",
      severity: "error",
      from: {},
      to: { circular: true },
    },
    {
      name: "module-in-a-layer",
      comment: "Every module is placed in LAYERS above, so the order is checked for it (imported…",
      severity: "error",
      from: { path: "^src/" },
      to: { path: "^src/modules/([^/]+)/", pathNot: `^src/modules/(${placed})/` },
    },
    {
      name: "module-in-a-layer-importing",
      comment: "…or importing: a module missing from LAYERS fails as soon as it imports anything.",
      severity: "error",
      from: { path: "^src/modules/([^/]+)/", pathNot: `^src/modules/(${placed})/` },
      to: {},
    },
    ...layerRules,
    {
      name: "domain-free-of-fastify",
      comment: "Domain code never imports Fastify or the HTTP layer; only *.routes.ts files do.",
      severity: "error",
      from: { path: "^src/modules/", pathNot: "(\\.routes|\\.test)\\.ts$" },
      to: { path: "((^|/)node_modules/(fastify|@fastify/)|^src/http/)" },
    },
    {
      name: "frozen-migrations",
      comment: "Migrations are frozen: they import nothing from src/ (copy what they need).",
      severity: "error",
      from: { path: "^src/db/migrations/" },
      to: { path: "^src/", pathNot: "^src/db/migrations/" },
    },
    {
      name: "shared-is-a-leaf",
      comment: "src/shared holds plain helpers: no modules, database, HTTP or configuration.",
      severity: "error",
      from: { path: "^src/shared/" },
      to: { path: "^src/(modules|db|http|config)/" },
    },
    {
      name: "contract-stands-alone",
      comment: "src/contract is bundled by the UI as it is: it imports nothing (its tests may).",
      severity: "error",
      from: { path: "^src/contract/", pathNot: "\\.test\\.ts$" },
      to: {},
    },
    {
      name: "web-stays-in-the-browser",
      comment: "The UI imports only its own code and the shared contract, never the server.",
      severity: "error",
      from: { path: "^web/src/" },
      to: { path: "^src/", pathNot: "^src/contract/" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "(^dist/|^data/|^coverage/)" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { extensions: [".ts", ".tsx", ".js", ".mjs", ".json"] },
  },
};
