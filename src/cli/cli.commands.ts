import fs from "node:fs";
import type { Deps } from "../core/deps.ts";
import { LIMITS, loadConfig } from "../core/config.ts";
import { badRequest } from "../core/errors.ts";
import {
  backupDatabase,
  claimBody,
  claimImportedMember,
  exportCommunity,
  importArchive,
  importStackExchange,
  restoreBackup,
} from "../transfer/index.ts";
import { type DepsOptions, withDeps } from "./cli.context.ts";
import { progressBar } from "./progress.ts";

export interface OptionSpec {
  type: "string" | "boolean";
  required?: boolean;
  /** Shown in --help; the value's name after the option ("DIR"). */
  value?: string;
  description: string;
}

export type OptionValues = Record<string, string | boolean | undefined>;

export interface Command {
  /** The words that call it: "import stackexchange". */
  name: string;
  summary: string;
  /** More to know, shown under the usage line. */
  details?: string;
  options: Record<string, OptionSpec>;
  run(values: OptionValues): Promise<void>;
}

const print = (line: string) => process.stdout.write(`${line}\n`);
const str = (values: OptionValues, name: string) => values[name] as string;

/** Runs a step with the installation's database and a progress bar, then prints what it reports. */
async function withProgress(
  work: (deps: Deps, onProgress: ReturnType<typeof progressBar>["update"]) => Promise<string[]>,
  options: DepsOptions = {},
): Promise<void> {
  const bar = progressBar();
  let lines: string[];
  try {
    lines = await withDeps((deps) => work(deps, bar.update), options);
  } catch (error) {
    // The phase under way did not finish: saying "done" there would tell the operator it had.
    bar.done("failed");
    throw error;
  }
  bar.done();
  for (const line of lines) print(line);
}

/** For commands that read or change an installation: they never create an empty one. */
const EXISTING: DepsOptions = { existing: true };

/**
 * An import's input checked before the database is opened: opening creates and migrates an
 * installation (a SQLite file, a PostgreSQL schema), which a mistyped path must not leave behind.
 */
function mustExist(file: string, kind: "file" | "directory"): void {
  const stat = fs.statSync(file, { throwIfNoEntry: false });
  if (!stat || (kind === "directory" && !stat.isDirectory())) throw badRequest(`No such ${kind}: ${file}`);
  if (kind === "file" && !stat.isFile()) throw badRequest(`${file} is not a file.`);
}

const countLines = (counts: Record<string, number>) => Object.entries(counts).map(([what, n]) => `  ${what}: ${n}`);

export const COMMANDS: Command[] = [
  {
    name: "import stackexchange",
    summary: "Import a Stack Exchange site from its data dump (Posts, Users, Comments, Votes, PostLinks, Tags)",
    details:
      "Reads NAME.xml or NAME.xml.gz from DIR and creates the community when missing. Running it again " +
      "updates what is there and never duplicates; after a crash, run the same command to finish.",
    options: {
      dir: { type: "string", required: true, value: "DIR", description: "the dump directory, named after the site" },
      community: { type: "string", required: true, value: "SLUG", description: "the community's address" },
      name: { type: "string", value: "NAME", description: "the community's name if it is created" },
    },
    run: (values) => {
      mustExist(str(values, "dir"), "directory");
      return withProgress(async (deps, onProgress) => {
        const started = Date.now();
        const summary = await importStackExchange(deps, {
          dir: str(values, "dir"),
          slug: str(values, "community"),
          name: values.name as string | undefined,
          onProgress,
        });
        const seconds = ((Date.now() - started) / 1000).toFixed(1);
        return [
          `Imported ${summary.site} into /c/${str(values, "community")} in ${seconds} s` +
            (summary.created ? " (community created)" : ""),
          ...countLines(summary.counts),
        ];
      });
    },
  },
  {
    name: "import crowdservice",
    summary: "Import a community from an archive made by `export`",
    details: "The community must not exist yet here; its members are matched to accounts by email.",
    options: {
      file: { type: "string", required: true, value: "FILE", description: "the archive (.jsonl.gz)" },
      community: { type: "string", value: "SLUG", description: "a new address instead of the archived one" },
    },
    run: (values) => {
      mustExist(str(values, "file"), "file");
      return withProgress(async (deps, onProgress) => {
        const summary = await importArchive(deps, {
          file: str(values, "file"),
          slug: values.community as string | undefined,
          onProgress,
        });
        return [`Imported community /c/${summary.slug}`, ...countLines(summary.counts)];
      });
    },
  },
  {
    name: "export",
    summary: "Export a whole community to a versioned JSON Lines archive",
    options: {
      community: { type: "string", required: true, value: "SLUG", description: "the community's address" },
      out: { type: "string", required: true, value: "FILE", description: "where to write the archive (.jsonl.gz)" },
    },
    run: (values) =>
      withProgress(async (deps, onProgress) => {
        const counts = await exportCommunity(deps, {
          slug: str(values, "community"),
          file: str(values, "out"),
          onProgress,
        });
        return [`Exported /c/${str(values, "community")} to ${str(values, "out")}`, ...countLines(counts)];
      }, EXISTING),
  },
  {
    name: "claim-member",
    summary: "Hand an imported member to its owner: set their email and print a one-time password",
    details: "The same as POST /api/v1/admin/imported-members/ID/claim, for the operator.",
    options: {
      user: { type: "string", required: true, value: "ID", description: "the imported member's user id" },
      email: { type: "string", required: true, value: "EMAIL", description: "the address they log in with" },
    },
    run: async (values) => {
      // Checked before the database is opened: plain digits within the ids' range ("0x10", "1e3"
      // or 2^31 are no user id, and PostgreSQL would refuse the last with its own message).
      const id = /^\d+$/.test(str(values, "user")) ? Number(values.user) : Number.NaN;
      if (!(id > 0 && id <= LIMITS.idMax)) throw badRequest(`--user must be a user id, got "${values.user}"`);
      const parsed = claimBody.safeParse({ email: values.email });
      if (!parsed.success) throw badRequest(`--email: ${parsed.error.issues[0].message}`);
      const claimed = await withDeps((deps) => claimImportedMember(deps, "operator", id, parsed.data), EXISTING);
      print(`User ${claimed.userId} now logs in as ${claimed.email} with the password ${claimed.password}`);
    },
  },
  {
    name: "backup",
    summary: "Take a consistent backup of the SQLite database and uploads while the server runs",
    details: "On PostgreSQL use pg_dump instead (see the README).",
    options: {
      out: { type: "string", required: true, value: "FILE", description: "the backup file to write" },
    },
    run: (values) => {
      // Refused before the database is opened: opening it would migrate the PostgreSQL database.
      if (loadConfig().databaseUrl) throw badRequest("backup is for SQLite; on PostgreSQL use pg_dump (README).");
      return withProgress(async (deps, onProgress) => {
        const summary = await backupDatabase(deps, str(values, "out"), onProgress);
        return [`Backed up the database and ${summary.uploads} uploads to ${str(values, "out")}`];
      }, EXISTING);
    },
  },
  {
    name: "restore",
    summary: "Restore a backup made by `backup` into DATA_DIR (stop the server first)",
    options: {
      file: { type: "string", required: true, value: "FILE", description: "the backup file" },
      force: { type: "boolean", description: "replace an existing database in DATA_DIR" },
    },
    run: async (values) => {
      const config = loadConfig();
      const summary = await restoreBackup(config, str(values, "file"), { force: values.force === true });
      print(`Restored the database and ${summary.uploads} uploads into ${config.dataDir}`);
    },
  },
];
