#!/usr/bin/env node
import { parseArgs } from "node:util";
import { AppError } from "../core/errors.ts";
import { COMMANDS, type Command, type OptionValues } from "./cli.commands.ts";

/**
 * `crowdservice <command> [options]` (also `npm run cli -- <command>`): the operator's tools.
 * Bad input exits with 2 and says what is wrong; a failed command exits with 1.
 */
class UsageError extends Error {}

const PROGRAM = "crowdservice";

function commandHelp(command: Command): string {
  const options = Object.entries(command.options);
  const usage = options.map(([name, o]) => {
    const text = `--${name}${o.value ? ` ${o.value}` : ""}`;
    return o.required ? text : `[${text}]`;
  });
  const width = Math.max(...options.map(([name, o]) => name.length + (o.value?.length ?? 0)), 4) + 4;
  return [
    `Usage: ${PROGRAM} ${command.name} ${usage.join(" ")}`,
    "",
    command.summary,
    ...(command.details ? ["", command.details] : []),
    "",
    "Options:",
    ...options.map(([name, o]) => `  ${`--${name}${o.value ? ` ${o.value}` : ""}`.padEnd(width)} ${o.description}`),
    `  ${"--help".padEnd(width)} show this help`,
  ].join("\n");
}

/** The commands starting with these words, for `crowdservice`, `crowdservice import` and `--help`. */
function overview(prefix: string[]): string {
  const matching = COMMANDS.filter((c) => c.name.startsWith(prefix.join(" ")));
  const width = Math.max(...matching.map((c) => c.name.length)) + 2;
  return [
    `Usage: ${PROGRAM} ${prefix.length ? `${prefix.join(" ")} ` : ""}<command> [options]`,
    "",
    "Commands:",
    ...matching.map((c) => `  ${c.name.padEnd(width)} ${c.summary}`),
    "",
    `Run "${PROGRAM} <command> --help" for a command's options. The database is the one DATA_DIR`,
    "or DATABASE_URL names, as for the server.",
  ].join("\n");
}

function parse(command: Command, args: string[]): OptionValues | "help" {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args,
      options: { ...command.options, help: { type: "boolean", short: "h" } },
      strict: true,
      allowPositionals: false,
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (parsed.values.help) return "help";
  for (const [name, option] of Object.entries(command.options)) {
    const value = parsed.values[name];
    if (option.required && (value === undefined || value === "")) throw new UsageError(`--${name} is required`);
  }
  return parsed.values as OptionValues;
}

/** The longest command whose words start `words`. */
const commandOf = (words: string[]) =>
  COMMANDS.filter((c) => c.name.split(" ").every((w, i) => words[i] === w)).sort(
    (a, b) => b.name.length - a.name.length,
  )[0];

/** Runs one command line; returns the exit code. */
export async function runCli(argv: string[]): Promise<number> {
  const words = argv.filter((a) => !a.startsWith("-"));
  const command = commandOf(words);
  try {
    if (!command) {
      const wantsHelp = argv.length === 0 || argv[0] === "help" || argv.includes("--help") || argv.includes("-h");
      const prefix = argv[0] === "help" ? words.slice(1) : words;
      // "help export" is "export --help".
      const asked = argv[0] === "help" ? commandOf(prefix) : undefined;
      if (asked) {
        process.stdout.write(`${commandHelp(asked)}\n`);
        return 0;
      }
      const group = prefix.length > 0 && COMMANDS.some((c) => c.name.startsWith(`${prefix.join(" ")} `));
      // Help on nothing in particular, or on a group ("import"); help on an unknown word is a mistake.
      if (group || (wantsHelp && prefix.length === 0)) {
        (wantsHelp ? process.stdout : process.stderr).write(`${overview(prefix)}\n`);
        return wantsHelp ? 0 : 2;
      }
      throw new UsageError(`unknown command "${prefix.join(" ") || argv.join(" ")}"`);
    }
    // The command's words are the first ones that are no option, wherever options stand
    // ("-h export" is "export -h"); the rest are its options.
    const args = [...argv];
    for (const word of command.name.split(" ")) args.splice(args.indexOf(word), 1);
    const values = parse(command, args);
    if (values === "help") {
      process.stdout.write(`${commandHelp(command)}\n`);
      return 0;
    }
    await command.run(values);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      const hint = command ? `${command.name} --help` : "--help";
      process.stderr.write(`${PROGRAM}: ${error.message}\nRun "${PROGRAM} ${hint}" for usage.\n`);
      return 2;
    }
    const message = error instanceof AppError && error.fields ? `${error.message} ${JSON.stringify(error.fields)}` : "";
    process.stderr.write(`${PROGRAM}: ${message || (error instanceof Error ? error.message : String(error))}\n`);
    return 1;
  }
}

// A reader that stops early (`crowdservice --help | head -1`, a pager quit) is no failure of the
// command: what is left to print is dropped instead of crashing with EPIPE's stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "EPIPE") throw error;
  });
}
process.exitCode = await runCli(process.argv.slice(2));
