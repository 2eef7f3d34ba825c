import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
export const MAIN = path.join(import.meta.dirname, "../../src/cli/main.ts");

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `crowdservice ...` with `env` over this process's environment (its standard error is no terminal). */
export async function runCli(env: Record<string, string>, ...args: string[]): Promise<CliResult> {
  try {
    const { stdout, stderr } = await run(process.execPath, ["--import", "tsx", MAIN, ...args], {
      env: { ...process.env, ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as CliResult;
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

/** Runs `crowdservice ...` on its own DATA_DIR (SQLite). */
export const cli = (dataDir: string, ...args: string[]) => runCli({ DATA_DIR: dataDir, DATABASE_URL: "" }, ...args);
