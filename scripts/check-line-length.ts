/**
 * `npm run lint` step: fails on any line of src/ over 120 columns. Biome wraps code at that width
 * but never the text of templates and strings, where views used to grow lines of 500 characters.
 * Migrations are exempt: they are history, and run as written on every new installation.
 */
import fs from "node:fs";
import path from "node:path";

const MAX_COLUMNS = 120;
const ROOT = "src";
const EXEMPT = [path.join("src", "db", "migrations")];
const CHECKED = /\.(ts|js|css)$/;

function* sourceFiles(dir: string): Generator<string> {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (EXEMPT.includes(file)) continue;
    if (entry.isDirectory()) yield* sourceFiles(file);
    else if (CHECKED.test(entry.name)) yield file;
  }
}

const tooLong: string[] = [];
for (const file of sourceFiles(ROOT)) {
  fs.readFileSync(file, "utf8")
    .split("\n")
    .forEach((line, i) => {
      const columns = [...line].length;
      if (columns > MAX_COLUMNS) tooLong.push(`${file}:${i + 1}: ${columns} columns`);
    });
}
if (tooLong.length > 0) {
  console.error(
    `Lines over ${MAX_COLUMNS} columns (wrap them; in templates, break between attributes or inside \${}):`,
  );
  for (const line of tooLong) console.error(`  ${line}`);
  process.exit(1);
}
console.log(`✔ no line over ${MAX_COLUMNS} columns in ${ROOT}/`);
