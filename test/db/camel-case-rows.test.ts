import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { CamelCasePlugin, type QueryId, type QueryResult, type UnknownRow } from "kysely";
import { CamelCaseRowsPlugin } from "../../src/db/camel-case-rows.ts";

const queryId = { queryId: "test" } as QueryId;
const mapped = async (plugin: CamelCasePlugin, result: QueryResult<UnknownRow>) =>
  plugin.transformResult({ result, queryId });

/** A row as a driver gives it: fifty snake_case columns of every kind of value. */
function wideRow(seed: number): UnknownRow {
  const row: UnknownRow = {};
  for (let i = 0; i < 40; i++) row[`column_number_${i}`] = i % 3 === 0 ? null : `${seed}-${i}`;
  row.created_at = new Date(Date.UTC(2026, 11, seed));
  row.avatar_bytes = Buffer.from([seed, 1, 2]);
  row.nested_json = { inner_key: seed, deeper_list: [{ list_item: 1 }, 2] };
  row.plain_list = [1, "two", null];
  row.object_list = [{ first_name: "Ada" }, { first_name: "Grace" }];
  row.no_prototype = Object.assign(Object.create(null), { snake_key: seed });
  row.plain = "plain";
  row.already_camel = true;
  row.alreadyCamel2 = false;
  row.x = 0;
  return row;
}

test("rows come out exactly as Kysely's own camel-case plugin maps them", async () => {
  for (const options of [{}, { maintainNestedObjectKeys: true }]) {
    const stock = new CamelCasePlugin(options);
    const ours = new CamelCaseRowsPlugin(options);
    const results: QueryResult<UnknownRow>[] = [
      { rows: [wideRow(1), wideRow(2), wideRow(3)] },
      // Another shape through the same plugin, then one with the same columns in another order.
      { rows: [{ topic_id: 7, reply_count: 2 }] },
      { rows: [{ reply_count: 3, topic_id: 8 }] },
      { rows: [wideRow(4)] },
      { rows: [] },
      { rows: [], numAffectedRows: 2n, insertId: 5n },
    ];
    for (const result of results) assert.deepStrictEqual(await mapped(ours, result), await mapped(stock, result));
  }
});

test("a column named like another's camel case keeps the last value, as Kysely does", async () => {
  const result = { rows: [{ user_id: 1, userId: 2 }] };
  assert.deepStrictEqual(await mapped(new CamelCaseRowsPlugin(), result), await mapped(new CamelCasePlugin(), result));
  assert.deepStrictEqual((await mapped(new CamelCaseRowsPlugin(), result)).rows, [{ userId: 2 }]);
});

test("a wide row stays a fast object in V8, where Kysely's own becomes a dictionary", () => {
  // %HasFastProperties needs V8's natives syntax, so this runs in a process of its own.
  const script = `
    const { CamelCasePlugin } = await import("kysely");
    const { CamelCaseRowsPlugin } = await import(${JSON.stringify(new URL("../../src/db/camel-case-rows.ts", import.meta.url).href)});
    const row = {};
    for (let i = 0; i < 50; i++) row["column_number_" + i] = i;
    // Mapped many times, as a server maps its queries' rows: V8 gives up on the stock rows' shape then.
    const fast = async (plugin) => {
      let mapped;
      for (let i = 0; i < 500; i++) mapped = (await plugin.transformResult({ result: { rows: [row] }, queryId: {} })).rows[0];
      return mapped;
    };
    // The stock plugin first: once a fast object with these keys exists, V8 follows its shape.
    const stock = %HasFastProperties(await fast(new CamelCasePlugin()));
    console.log(JSON.stringify([%HasFastProperties(await fast(new CamelCaseRowsPlugin())), stock]));
  `;
  const out = execFileSync(
    process.execPath,
    ["--allow-natives-syntax", "--import", "tsx", "--input-type=module", "--eval", script],
    { encoding: "utf8" },
  );
  assert.deepEqual(JSON.parse(out), [true, false]);
});
