import type { Compilable, CompiledQuery } from "kysely";
import type { Db } from "./database.ts";
import { nameStatement } from "./statement-names.ts";

/**
 * Queries built and compiled once per database, then run with each call's values (issue #12).
 * Building a Kysely query, passing its node tree through the camel-case plugin and compiling it
 * to SQL cost about as much CPU as SQLite spends running the hot queries of a page; the SQL and
 * the positions of the values never change between calls, only the values do.
 *
 * `build` receives stand-ins for the named values: it must put each one in the query as a value
 * (`where("id", "=", values.id)`), never compute with it, branch on it or pass it as a list (an
 * `in` list has one `?` per item, so its shape changes with its length). Values known when the
 * module loads (a state name, a role) can be written in directly. A stand-in that reaches the
 * query other than as a value is found on first use and throws.
 */
export function prepared<Values extends Record<string, unknown>, Row>(
  build: (db: Db, values: Values) => Compilable<Row>,
): (db: Db, values: Values) => Promise<Row[]> {
  const compiledFor = new WeakMap<Db, Compiled<Row>>();
  return async (db, values) => {
    let compiled = compiledFor.get(db);
    if (!compiled) {
      compiled = compile(db, build);
      compiledFor.set(db, compiled);
    }
    const parameters = compiled.query.parameters.map((value, i) => {
      const name = compiled.slots[i];
      return name === undefined ? value : values[name];
    });
    return (await db.executeQuery<Row>({ ...compiled.query, parameters })).rows;
  };
}

/** The first row of a prepared query, or undefined. */
export function preparedFirst<Values extends Record<string, unknown>, Row>(
  build: (db: Db, values: Values) => Compilable<Row>,
): (db: Db, values: Values) => Promise<Row | undefined> {
  const rows = prepared(build);
  return async (db, values) => (await rows(db, values))[0];
}

interface Compiled<Row> {
  query: CompiledQuery<Row>;
  /** The value's name for each parameter that comes from the call; undefined for a constant. */
  slots: (string | undefined)[];
}

class StandIn {
  constructor(readonly name: string) {}
}

function compile<Row>(db: Db, build: (db: Db, values: never) => Compilable<Row>): Compiled<Row> {
  const used = new Set<string>();
  const values = new Proxy(
    {},
    {
      get: (_target, name) => {
        used.add(String(name));
        return new StandIn(String(name));
      },
    },
  );
  const query = build(db, values as never).compile();
  nameStatement(query.sql);
  const slots = query.parameters.map((value) => (value instanceof StandIn ? value.name : undefined));
  for (const name of used)
    if (!slots.includes(name)) throw new Error(`Prepared query: "${name}" was not used as a value in ${query.sql}`);
  return { query, slots };
}

/**
 * Runs a query built per call whose SQL nonetheless comes in few shapes (its lists passed with
 * idIn, id-list.ts): on PostgreSQL it goes as a named statement, like a prepared query's.
 */
export async function executeNamed<Row>(db: Db, query: { compile(db: Db): CompiledQuery<Row> }): Promise<Row[]> {
  const compiled = query.compile(db);
  nameStatement(compiled.sql);
  return (await db.executeQuery<Row>(compiled)).rows;
}
