/**
 * A server's stand-in for the backup test: opens the database in DATA_DIR (argv[2]) and writes
 * without pause, each transaction adding one row and moving a counter, until it is killed.
 */
import { openDatabase } from "../../src/db/database.ts";

const { db } = await openDatabase({ dataDir: process.argv[2] });
for (let i = 1; ; i += 1) {
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto("settings")
      .values({ key: `write:${i}`, value: String(i) })
      .execute();
    await trx
      .insertInto("settings")
      .values({ key: "write:count", value: String(i) })
      .onConflict((oc) => oc.column("key").doUpdateSet({ value: String(i) }))
      .execute();
  });
  if (i === 50) process.stdout.write("writing\n");
}
