// Lint rules, including the architecture's import boundaries (ARCHITECTURE.md "Dependency rules"):
// domain modules never import Fastify (only their *.routes.ts files may), and modules meet only
// through each other's index.ts.
import js from "@eslint/js";
import prettier from "eslint-config-prettier";
import tseslint from "typescript-eslint";

const fastifyImports = {
  group: ["fastify", "fastify/*", "@fastify/*", "**/http/*"],
  message: "Domain code never imports Fastify or the HTTP layer; only *.routes.ts files do.",
};

const otherModulesInternals = {
  // "../<module>/<file>" other than index.js; "../../shared/…" and "../../db/…" stay allowed.
  regex: "^\\.\\./(?!\\.\\./)[^/]+/(?!index\\.js$)",
  message: "Modules meet only through each other's index.ts: import '../<module>/index.js'.",
};

const moduleInternalsFromOutside = {
  // The app registers routes and the database lists tables; anything else goes through index.js.
  regex: "/modules/[^/]+/(?!index\\.js$|[^/]+\\.routes\\.js$|[^/]+\\.table\\.js$)",
  message: "Outside a module, import it through its index.ts.",
};

export default tseslint.config(
  { ignores: ["dist/", "node_modules/", "data/", "coverage/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { process: "readonly", console: "readonly", Buffer: "readonly", URL: "readonly" },
    },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      eqeqeq: ["error", "always"],
    },
  },
  {
    files: ["src/modules/**/*.ts"],
    ignores: ["src/modules/**/*.routes.ts", "src/modules/**/*.test.ts"],
    rules: { "no-restricted-imports": ["error", { patterns: [fastifyImports, otherModulesInternals] }] },
  },
  {
    files: ["src/modules/**/*.routes.ts"],
    rules: { "no-restricted-imports": ["error", { patterns: [otherModulesInternals] }] },
  },
  {
    files: ["src/**/*.ts"],
    ignores: ["src/modules/**"],
    rules: { "no-restricted-imports": ["error", { patterns: [moduleInternalsFromOutside] }] },
  },
  prettier,
);
