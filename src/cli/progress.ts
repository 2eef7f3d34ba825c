import type { Progress } from "../transfer/index.ts";

const WIDTH = 30;

/**
 * A progress bar on the standard error, redrawn in place on a terminal; elsewhere (a log, a pipe)
 * one line per finished phase, so logs stay readable.
 */
export function progressBar(stream: NodeJS.WriteStream = process.stderr): {
  update(progress: Progress): void;
  /** The work ended: the phase under way finished, or (`"failed"`) stopped where the bar stands. */
  done(outcome?: "done" | "failed"): void;
} {
  let phase = "";
  const finish = (outcome: "done" | "failed") => {
    if (!phase) return;
    if (!stream.isTTY) stream.write(`${phase}: ${outcome}\n`);
    else stream.write(outcome === "failed" ? " failed\n" : "\n");
  };
  return {
    update({ phase: next, done, total }) {
      if (next !== phase) {
        finish("done");
        phase = next;
      }
      if (!stream.isTTY) return;
      const share = total > 0 ? Math.min(1, done / total) : 1;
      const filled = Math.round(share * WIDTH);
      const bar = `${"#".repeat(filled)}${"-".repeat(WIDTH - filled)}`;
      stream.write(`\r${phase.padEnd(14)} [${bar}] ${String(Math.round(share * 100)).padStart(3)}%`);
    },
    done(outcome = "done") {
      finish(outcome);
      phase = "";
    },
  };
}
