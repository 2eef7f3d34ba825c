import os from "node:os";
import type { LoadResult } from "./runner.ts";

export interface Line {
  /** Which server answered: "SQLite", "PostgreSQL" or "bare node:http". */
  server: string;
  name: string;
  /** Size of one response (the first path), in bytes. */
  bytes?: number;
  result?: LoadResult;
  /** Why the line was not measured, e.g. "page not available (HTTP 404)". */
  skipped?: string;
  /** The bare node:http line serving the same bytes, for the ratio. */
  reference?: LoadResult;
}

const int = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
const fixed = (digits: number) => (value: number) => (Number.isFinite(value) ? value.toFixed(digits) : "-");
const ms = fixed(2);

export function machine(): string {
  const cpus = os.cpus();
  return `${cpus.length} cores (${cpus[0]?.model.trim() ?? "unknown CPU"}), ${Math.round(os.totalmem() / 2 ** 30)} GB RAM, Node ${process.version}, ${os.platform()} ${os.release()}`;
}

export function formatCounts(counts: Record<string, number>): string {
  return Object.entries(counts)
    .map(([name, n]) => `${int.format(n)} ${name}`)
    .join(", ");
}

export function megabytes(kb: number): string {
  return `${Math.round(kb / 1024)} MB`;
}

/** The results as a plain-text table, one line per server and endpoint. */
export function formatTable(lines: Line[]): string {
  const header = [
    "server",
    "name",
    "KB",
    "req/s",
    "p50 ms",
    "p99 ms",
    "non-2xx",
    "CPU ms/req",
    "PG CPU ms/req",
    "vs bare node:http",
  ];
  const rows = lines.map((line) => {
    const kb = line.bytes === undefined ? "" : (line.bytes / 1024).toFixed(1);
    const r = line.result;
    if (!r) return { cells: [line.server, line.name, kb], note: line.skipped ?? "not measured" };
    const ratio = line.reference
      ? `${((r.requestsPerSecond / line.reference.requestsPerSecond) * 100).toFixed(1)}%`
      : "";
    const failures = r.errors ? `${int.format(r.non2xx)} (+${int.format(r.errors)} errors)` : int.format(r.non2xx);
    return {
      cells: [
        line.server,
        line.name,
        kb,
        int.format(r.requestsPerSecond),
        ms(r.p50Ms),
        ms(r.p99Ms),
        failures,
        fixed(3)(r.cpuMsPerRequest),
        Number.isNaN(r.databaseCpuMsPerRequest) ? "" : fixed(3)(r.databaseCpuMsPerRequest),
        ratio,
      ],
      note: "",
    };
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row.cells[i]?.length ?? 0)));
  const format = (cells: string[]) =>
    cells.map((cell, i) => (i < 2 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join("  ");
  return [
    format(header),
    format(widths.map((w) => "-".repeat(w))),
    ...rows.map((row) => `${format(row.cells)}  ${row.note}`.trimEnd()),
  ].join("\n");
}
