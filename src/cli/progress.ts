import type { Progress } from "../transfer/index.ts";

const WIDTH = 30;

/**
 * A progress bar on the standard error, redrawn in place on a terminal; elsewhere (a log, a pipe)
 * one line per finished phase, so logs stay readable.
 */
export function progressBar(stream: NodeJS.WriteStream = process.stderr): {
  update(progress: Progress): void;
  done(): void;
} {
  let phase = "";
  const finish = () => {
    if (phase && stream.isTTY) stream.write("\n");
    else if (phase) stream.write(`${phase}: done\n`);
  };
  return {
    update({ phase: next, done, total }) {
      if (next !== phase) {
        finish();
        phase = next;
      }
      if (!stream.isTTY) return;
      const share = total > 0 ? Math.min(1, done / total) : 1;
      const filled = Math.round(share * WIDTH);
      const bar = `${"#".repeat(filled)}${"-".repeat(WIDTH - filled)}`;
      stream.write(`\r${phase.padEnd(14)} [${bar}] ${String(Math.round(share * 100)).padStart(3)}%`);
    },
    done() {
      finish();
      phase = "";
    },
  };
}
