import { fork, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";
import type { ServerMessage, ServerSpec, StaticPage } from "./protocol.ts";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** An environment assignment as a shell script writes it before a command: NAME=value. */
const ASSIGNMENT = /^([A-Za-z_]\w*)=(.*)$/;

/**
 * How production starts the server (package.json): `npm start` on SQLite, `npm run start:postgres`
 * on PostgreSQL, so the server under load is what production runs. Its node flags
 * (BENCH_NODE_FLAGS replaces them, "" for node's defaults) and the environment the script sets
 * before `node` (say MALLOC_ARENA_MAX=2; BENCH_SERVER_ENV replaces it, "" for none).
 */
export function serverStart(engine: "sqlite" | "postgres"): { flags: string[]; env: Record<string, string> } {
  const scripts = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")).scripts;
  const words: string[] = scripts[engine === "postgres" ? "start:postgres" : "start"].split(/\s+/);
  const flagsGiven = process.env.BENCH_NODE_FLAGS;
  const envGiven = process.env.BENCH_SERVER_ENV;
  const flags = flagsGiven === undefined ? words.filter((word) => word.startsWith("--")) : flagsGiven.split(" ");
  // The script's leading NAME=value words, before its command.
  const command = words.findIndex((word) => !ASSIGNMENT.test(word));
  const assignments = envGiven === undefined ? words.slice(0, command) : envGiven.split(" ");
  const env: Record<string, string> = {};
  for (const word of assignments) {
    const match = ASSIGNMENT.exec(word);
    if (match) env[match[1]] = match[2];
  }
  return { flags: flags.filter(Boolean), env };
}

/** One line saying how a server is started: its environment and node flags. */
export function describeStart(engine: "sqlite" | "postgres"): string {
  const { flags, env } = serverStart(engine);
  const words = [...Object.entries(env).map(([name, value]) => `${name}=${value}`), "node", ...flags];
  return words.join(" ");
}

export interface LoadOptions {
  seconds: number;
  connections: number;
}

/** A server under test in a child process (bench/server.mjs, plain node), on 127.0.0.1 and a random port. */
export class ServerProcess {
  private constructor(
    private readonly child: ChildProcess,
    readonly baseUrl: string,
    /** The app on PostgreSQL: the database's own CPU counts too (postgresCpuMs). */
    readonly onPostgres: boolean,
  ) {}

  static async start(spec: ServerSpec): Promise<ServerProcess> {
    const onPostgres = "databaseUrl" in spec && Boolean(spec.databaseUrl);
    const start = serverStart(onPostgres ? "postgres" : "sqlite");
    const child = fork(path.join(ROOT, "bench/server.mjs"), [], {
      cwd: ROOT,
      env: { ...process.env, ...start.env },
      execArgv: start.flags,
      serialization: "advanced",
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    const ready = await new Promise<ServerMessage>((resolve, reject) => {
      child.once("message", (message: ServerMessage) => resolve(message));
      child.once("exit", (code) => reject(new Error(`The bench server exited early (code ${code}).`)));
      child.send(spec);
    });
    if (ready.type !== "ready") throw new Error(`Unexpected message from the bench server: ${JSON.stringify(ready)}`);
    child.removeAllListeners("exit");
    return new ServerProcess(child, `http://127.0.0.1:${ready.port}`, onPostgres);
  }

  /** CPU time the server has used so far and its peak resident memory. */
  usage(): Promise<{ cpuMicros: number; maxRssKb: number }> {
    return new Promise((resolve) => {
      this.child.once("message", (message: ServerMessage) => {
        if (message.type === "usage") resolve(message);
      });
      this.child.send({ type: "usage" });
    });
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once("exit", resolve));
    this.child.send({ type: "stop" });
    const timer = setTimeout(() => this.child.kill(), 5000);
    await exited;
    clearTimeout(timer);
  }

  kill(): void {
    if (this.child.exitCode === null) this.child.kill();
  }
}

export type Probe = { ok: true; pages: StaticPage[] } | { ok: false; status: number };

/** Fetches every path once: checks it answers 200 and keeps the bytes for the bare node:http reference. */
export async function probe(baseUrl: string, paths: string[], headers: Record<string, string> = {}): Promise<Probe> {
  const pages: StaticPage[] = [];
  for (const p of paths) {
    const res = await fetch(baseUrl + p, { headers });
    const body = new Uint8Array(await res.arrayBuffer());
    if (res.status !== 200) return { ok: false, status: res.status };
    pages.push({ path: p, contentType: res.headers.get("content-type") ?? "application/octet-stream", body });
  }
  return { ok: true, pages };
}

export interface LoadResult {
  requestsPerSecond: number;
  requests: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  errors: number;
  /** Server CPU time (user + system) per request. */
  cpuMsPerRequest: number;
  /** PostgreSQL's CPU time per request (all its processes on this machine); NaN for SQLite. */
  databaseCpuMsPerRequest: number;
}

/** Linux counts a process's CPU time in clock ticks of 10 ms (USER_HZ 100). */
const TICK_MS = 10;

/**
 * CPU time so far of every PostgreSQL process on this machine (its backends, writers and
 * autovacuum), from /proc; NaN without /proc. The bench's database runs on the same machine,
 * and what a request costs it is part of what the request costs: a query that reads a whole
 * table shows there, not in the app's CPU. A process that ends between two readings takes its
 * time with it; the app's pool keeps its connections for the whole line, other clients' do not
 * (run nothing else against the server meanwhile).
 */
export function postgresCpuMs(): number {
  if (!fs.existsSync("/proc/self/stat")) return Number.NaN;
  let ticks = 0;
  for (const pid of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(pid)) continue;
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    } catch {
      continue; // ended meanwhile
    }
    // "pid (comm) state ppid ...": utime and stime are the 14th and 15th fields.
    const close = stat.lastIndexOf(")");
    if (!stat.slice(stat.indexOf("(") + 1, close).startsWith("postgres")) continue;
    const fields = stat.slice(close + 2).split(" ");
    ticks += Number(fields[11]) + Number(fields[12]);
  }
  return ticks * TICK_MS;
}

/** One GET per path (with a signed-in member's cookie, for their pages); each connection cycles through them in order. */
function requestsFor(paths: string[], headers: Record<string, string>): autocannon.Request[] {
  return paths.map((p) => ({ method: "GET", path: p, headers }));
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/**
 * Loads the server with GET requests cycling through `paths`, one keep-alive connection per
 * virtual user. Latencies are kept at full precision (autocannon's histogram rounds to 1 ms).
 */
export async function load(
  server: ServerProcess,
  paths: string[],
  options: LoadOptions,
  headers: Record<string, string> = {},
): Promise<LoadResult> {
  const latencies: number[] = [];
  const databaseBefore = server.onPostgres ? postgresCpuMs() : Number.NaN;
  const before = await server.usage();
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: server.baseUrl,
        connections: options.connections,
        duration: options.seconds,
        requests: requestsFor(paths, headers),
      },
      (error, res) => (error ? reject(error) : resolve(res)),
    );
    instance.on("response", (_client, status, _bytes, time) => {
      if (status >= 200 && status < 300) latencies.push(time);
    });
  });
  const after = await server.usage();
  const databaseAfter = server.onPostgres ? postgresCpuMs() : Number.NaN;
  const sorted = Float64Array.from(latencies).sort();
  return {
    requestsPerSecond: result.requests.average,
    requests: result.requests.total,
    p50Ms: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
    non2xx: result.non2xx,
    errors: result.errors,
    cpuMsPerRequest: result.requests.total ? (after.cpuMicros - before.cpuMicros) / 1000 / result.requests.total : NaN,
    databaseCpuMsPerRequest: result.requests.total ? (databaseAfter - databaseBefore) / result.requests.total : NaN,
  };
}

/** A short untimed run first, so the JIT and the database caches are warm when the clock starts. */
export async function warmUp(
  server: ServerProcess,
  paths: string[],
  options: LoadOptions,
  headers: Record<string, string> = {},
): Promise<void> {
  await autocannon({
    url: server.baseUrl,
    connections: options.connections,
    duration: Math.min(1, options.seconds),
    requests: requestsFor(paths, headers),
  });
}
