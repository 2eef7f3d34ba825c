import { test } from "node:test";
import assert from "node:assert/strict";
import { communityAccess } from "../../src/communities/index.ts";
import { createCategory, updateCategory } from "../../src/communities/communities.service.ts";
import { AppError } from "../../src/core/errors.ts";
import { sql } from "kysely";
import {
  actorOf,
  buildCommunity,
  describeEachDatabase,
  openingTransactionAfter,
  type TestEnv,
  until,
} from "../helpers.ts";

async function namesOf(env: TestEnv, slug: string): Promise<string[]> {
  const listed = await env.api.get(`/api/v1/communities/${slug}/categories`);
  return listed.body.categories.map((c: { name: string }) => c.name).sort();
}

/** A category's name is one of its community's: created or renamed, names compare as readers tell them apart. */
describeEachDatabase("category names", (env) => {
  test("renaming a category to another's name, in any case or Unicode form, is 409; to its own in another case is not", async () => {
    const { slug, admin, categories } = await buildCommunity(env(), { categories: ["Billing", "Caf\u00e9"] });
    const [billing, cafe] = categories;
    const rename = (id: number, name: string) =>
      env().api.patch(`/api/v1/communities/${slug}/categories/${id}`, { name }, admin.auth);
    for (const name of ["Billing", "BILLING", "Cafe\u0301"]) {
      const res = await rename(name.startsWith("B") ? cafe.id : billing.id, name);
      assert.equal(res.status, 409, `${name}: ${JSON.stringify(res.body)}`);
      assert.equal(res.body.error.code, "conflict");
      assert.equal(typeof res.body.error.message, "string");
    }
    assert.deepEqual(await namesOf(env(), slug), ["Billing", "Caf\u00e9"], "nothing renamed");
    assert.equal((await rename(999_999, "Billing")).status, 404, "an unknown category is unknown, name taken or not");
    const own = await rename(billing.id, "BILLING");
    assert.equal(own.status, 200, JSON.stringify(own.body));
    assert.equal(own.body.category.name, "BILLING");
    const free = await rename(cafe.id, "Coffee");
    assert.equal(free.status, 200);
    const describe = await env().api.patch(
      `/api/v1/communities/${slug}/categories/${billing.id}`,
      { description: "Invoices" },
      admin.auth,
    );
    assert.equal(describe.status, 200, "a change without a name checks no name");
  });

  test("the refusal of a taken name is explained in the reader's language", async () => {
    const { slug, admin, categories } = await buildCommunity(env(), { categories: ["Billing", "Internet"] });
    const access = await communityAccess(env().deps, { slug }, actorOf(admin));
    await assert.rejects(updateCategory(env().deps, access, categories[1].id, { name: "billing" }), (error) => {
      assert.ok(error instanceof AppError);
      assert.equal(error.status, 409);
      assert.deepEqual(error.explanation, { key: "community.categoryNameTaken" });
      return true;
    });
    assert.deepEqual(await namesOf(env(), slug), ["Billing", "Internet"]);
  });

  test("creating a category with a taken name is 409 whether or not its own slug is given", async () => {
    const { slug, admin } = await buildCommunity(env(), { categories: ["Billing"] });
    const create = (body: Record<string, unknown>) =>
      env().api.post(`/api/v1/communities/${slug}/categories`, body, admin.auth);
    for (const body of [{ name: "BILLING" }, { name: "billing", slug: "invoices" }]) {
      const res = await create(body);
      assert.equal(res.status, 409, `${JSON.stringify(body)}: ${JSON.stringify(res.body)}`);
      assert.equal(res.body.error.code, "conflict");
      assert.equal(res.body.error.message, `A category named "${body.name}" already exists.`);
    }
    assert.deepEqual(await namesOf(env(), slug), ["Billing"], "nothing created");
    const given = await create({ name: "Invoices", slug: "bills" });
    assert.equal(given.status, 201, "a new name with its own slug");
    assert.equal(given.body.category.slug, "bills", "the slug given is kept as given");
  });

  test("a category created between another's checks and its transaction: both are created", async () => {
    const { slug, admin } = await buildCommunity(env(), { categories: [] });
    const access = await communityAccess(env().deps, { slug }, actorOf(admin));
    const other = () => createCategory(env().deps, access, { name: "Оплата", description: "" });
    const created = await createCategory(openingTransactionAfter(env().deps, other), access, {
      name: "Ошибки",
      description: "",
    });
    assert.equal(created.slug, "category-2", "the slug taken meanwhile is not chosen");
    assert.deepEqual(await namesOf(env(), slug), ["Ошибки", "Оплата"].sort());
  });

  test("PostgreSQL: two admins creating categories at once both get theirs", async (t) => {
    if (env().deps.dialect !== "postgres") return t.skip("SQLite has one writer");
    const { slug, admin } = await buildCommunity(env(), { categories: [] });
    const access = await communityAccess(env().deps, { slug }, actorOf(admin));
    const db = env().deps.db;
    // Waiting to read the categories, or (the other) for the community's row the first one holds.
    const waiting = async () => {
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from pg_locks
        where (relation = 'categories'::regclass and not granted)
          or (relation = 'communities'::regclass and locktype = 'tuple')`.execute(db);
      return rows[0].n >= 2;
    };
    let results!: Promise<PromiseSettledResult<unknown>[]>;
    // Both are under way before either reads the categories: unserialised, both would read none and
    // choose "category", and the second be refused as a duplicate of a name it does not have.
    await db.transaction().execute(async (trx) => {
      await sql`lock table categories in access exclusive mode`.execute(trx);
      results = Promise.allSettled(
        ["Ошибки", "Оплата"].map((name) => createCategory(env().deps, access, { name, description: "" })),
      );
      await until("both creations to wait", waiting);
    });
    const settled = await results;
    assert.deepEqual(
      settled.map((r) => r.status),
      ["fulfilled", "fulfilled"],
      JSON.stringify(settled.map((r) => (r.status === "rejected" ? String(r.reason) : "ok"))),
    );
    assert.deepEqual(await namesOf(env(), slug), ["Ошибки", "Оплата"].sort());
  });
});
