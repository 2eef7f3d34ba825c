/**
 * The layers of src/ (README "Layout"): core at the bottom, then the kits, then the domains, then
 * the composition root (src/app) and the command line beside it (src/cli). Imports only point down; a domain reaches another only through
 * that domain's public module, `src/<domain>/index.ts`; no cycles.
 */
const KITS = "(access|audit|db|http|i18n|jobs|lib|live|storage|web)";
const DOMAINS =
  "(accounts|communities|topics|notifications|search|academy|reputation|moderation|routing|escalation|marketplace|ideas|polls|insights|seo|ops|widget|transfer|sso|editor)";

module.exports = {
  forbidden: [
    {
      name: "every-folder-has-a-layer",
      severity: "error",
      comment: "A folder of src/ is core, a kit, a domain or the app: name a new one in KITS or DOMAINS above.",
      from: { path: "^src/", pathNot: ["^src/(core|app|cli)/", `^src/${KITS}/`, `^src/${DOMAINS}/`] },
      to: {},
    },
    {
      name: "no-cycles",
      severity: "error",
      comment: "Import cycles make layers meaningless and modules impossible to load in isolation.",
      from: { path: "^src" },
      to: { circular: true },
    },
    {
      name: "core-is-the-bottom",
      severity: "error",
      comment: "core (Deps, Actor, clock, errors, transaction, config) imports nothing of ours but the db's types.",
      from: { path: "^src/core/" },
      to: { path: "^src/", pathNot: ["^src/core/", "^src/db/(database|schema|dialect)\\.ts$"] },
    },
    {
      name: "kits-never-import-domains",
      severity: "error",
      from: { path: `^src/${KITS}/` },
      to: { path: [`^src/${DOMAINS}/`, "^src/(app|cli)/"] },
    },
    {
      name: "domains-meet-through-public-modules",
      severity: "error",
      comment: "A domain uses another only through its public module, src/<domain>/index.ts.",
      from: { path: `^src/${DOMAINS}/` },
      to: { path: `^src/${DOMAINS}/`, pathNot: ["^src/$1/", `^src/${DOMAINS}/index\\.ts$`] },
    },
    {
      name: "domains-never-import-the-app",
      severity: "error",
      from: { path: `^src/${DOMAINS}/` },
      to: { path: "^src/(app|cli)/" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "node_modules" },
    tsConfig: { fileName: "tsconfig.json" },
    parser: "swc",
    tsPreCompilationDeps: true,
  },
};
