import { test } from "node:test";
import assert from "node:assert/strict";
import { sql } from "kysely";
import { buildCommunity, buildTopic, describeEachDatabase, until } from "../helpers.ts";
import { configureCategory } from "./support.ts";

// A reply or comment checks who may answer when it reads the topic, then writes under the topic's
// row lock: a move into a staff-only category committed in between must refuse it. PostgreSQL runs
// the two side by side; SQLite has one writer, and the request reads after the move.
describeEachDatabase("scope: a post racing a move into a staff-only category", (env) => {
  for (const kind of ["reply", "comment"] as const)
    test(`PostgreSQL: a ${kind} waiting on the topic's lock while it moves into a staff-only category is refused`, async (t) => {
      if (env().deps.dialect !== "postgres") return t.skip("SQLite has one writer: no post runs beside the move");
      const built = await buildCommunity(env(), { categories: ["Internet", "Contracts"], members: { member: 2 } });
      const [internet, contracts] = built.categories;
      await configureCategory(env(), built.slug, built.admin, contracts.id, { scope: "staff_only" });
      const [asker, other] = built.members.member;
      const topic = await buildTopic(env(), built.slug, asker, { title: "Can I change my contract?", body: "Which?" });
      await env().deps.db.updateTable("topics").set({ categoryId: internet.id }).where("id", "=", topic.id).execute();
      let commit!: () => void;
      const committing = new Promise<void>((resolve) => {
        commit = resolve;
      });
      let moved!: () => void;
      const moving = new Promise<void>((resolve) => {
        moved = resolve;
      });
      // A moderator's move, written (the row locked) but not yet committed.
      const move = env()
        .deps.db.transaction()
        .execute(async (trx) => {
          await trx.updateTable("topics").set({ categoryId: contracts.id }).where("id", "=", topic.id).execute();
          moved();
          await committing;
        });
      await moving;
      const path = kind === "reply" ? `/api/v1/topics/${topic.id}/replies` : `/api/v1/topics/${topic.id}/comments`;
      const post = env().api.post(path, { body: "I had the same question last month." }, other.auth);
      // The post read the topic in the crowd's category (the move is not committed) and waits on its row.
      await until(`the ${kind} to wait on the topic's row`, async () => {
        const { rows } = await sql<{ n: string }>`select count(*) as n from pg_stat_activity
          where wait_event_type = 'Lock' and query like '%from "topics" where id in ($1) order by id for update%'`.execute(
          env().deps.db,
        );
        return Number(rows[0].n) > 0;
      });
      commit();
      await move;
      const refused = await post;
      assert.equal(refused.status, 403, JSON.stringify(refused.body));
      assert.equal(refused.body.error.message, "Only staff answer in this category.");
      const table = kind === "reply" ? "replies" : "comments";
      const { rows } = await sql<{ n: string }>`select count(*) as n from ${sql.table(table)}
        where author_id = ${other.id}`.execute(env().deps.db);
      assert.equal(Number(rows[0].n), 0, `no ${kind} written`);
    });
});
