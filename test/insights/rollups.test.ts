import { test } from "node:test";
import assert from "node:assert/strict";
import { sql } from "kysely";
import { buildCommunity, buildReply, buildTopic, describeEachDatabase, TEST_PASSWORD } from "../helpers.ts";
import { roomyLimits } from "../routing/support.ts";
import { getPage } from "../web/web-helpers.ts";
import { buildJobRegistry } from "../../src/app/jobs.ts";
import { runJobsNow } from "../../src/jobs/jobs.ts";
import { rollUpCommunity, rollupsJob } from "../../src/insights/insights.rollups.jobs.ts";
import { ALL_CATEGORIES, invalidateDays } from "../../src/insights/insights.rollups.ts";
import { datesOf } from "../../src/insights/insights.days.ts";
import { buildInsightsFixture, utc } from "./support.ts";

const pick = (body: Record<string, unknown>, keys: string[]) => Object.fromEntries(keys.map((k) => [k, body[k]]));
const QUERIES = [
  "from=2026-01-08&to=2026-01-14",
  "from=2026-01-10&to=2026-01-11",
  "from=2026-01-01&to=2026-01-31&interval=week",
  "from=2025-12-15&to=2026-01-14&interval=month",
];

describeEachDatabase(
  "insights: daily rollups",
  (env) => {
    let f: Awaited<ReturnType<typeof buildInsightsFixture>>;
    const get = (query: string) => env().api.get(`/api/v1/communities/${f.slug}/insights?${query}`, f.staff.auth);
    const csv = (query: string) => env().api.get(`/api/v1/communities/${f.slug}/insights.csv?${query}`, f.staff.auth);
    /** Every query of the test, on its own and per category, as JSON and as CSV. */
    const everything = async () => {
      const queries = QUERIES.flatMap((q) => [q, `${q}&category=${f.internet.id}`, `${q}&category=${f.tv.id}`]);
      const bodies = [];
      for (const q of queries) {
        const res = await get(q);
        assert.equal(res.status, 200, JSON.stringify(res.body));
        bodies.push(res.body, (await csv(q)).body);
      }
      return bodies;
    };
    const rolledUp = async () =>
      (
        await env()
          .deps.db.selectFrom("insightsDays")
          .select("day")
          .where("communityId", "=", f.community.id)
          .orderBy("day")
          .execute()
      ).map((r) => r.day);
    const summary = async (query: string) => (await get(query)).body.summary;
    /** The community's recompute jobs waiting to run. */
    const pendingRollups = () =>
      env()
        .deps.db.selectFrom("jobs")
        .select(["id", "payload", "runAt"])
        .where("name", "=", "insights.rollup")
        .where("status", "=", "pending")
        .execute();

    test("rolled-up days read exactly as the live computation; today is not rolled up", async () => {
      f = await buildInsightsFixture(env());
      env().clock.set(utc(14, 11)); // 12:00 on 01-14 in Zurich
      const live = await everything();
      assert.equal(await rollUpCommunity(env().deps, f.community.id, { recheck: true }), 9);
      assert.deepEqual(await rolledUp(), [
        "2026-01-05",
        "2026-01-06",
        "2026-01-07",
        "2026-01-08",
        "2026-01-09",
        "2026-01-10",
        "2026-01-11",
        "2026-01-12",
        "2026-01-13",
      ]);
      assert.deepEqual(await everything(), live);
      assert.equal(await rollUpCommunity(env().deps, f.community.id, { recheck: true }), 0, "nothing left to do");
    });

    test("rollups cut in one time zone are not read in another", async () => {
      const settings = `/api/v1/communities/${f.slug}/insights/settings`;
      await env().api.put(settings, { timezone: "UTC" }, f.admin.auth);
      // As in the live test: in UTC days, T6 is in and T1 out.
      assert.deepEqual(pick(await summary("from=2026-01-10&to=2026-01-11"), ["topics", "questions", "answered"]), {
        topics: 5,
        questions: 4,
        answered: 1,
      });
      await env().api.put(settings, { timezone: "Europe/Zurich" }, f.admin.auth);
      assert.deepEqual(pick(await summary("from=2026-01-10&to=2026-01-11"), ["topics", "questions", "answered"]), {
        topics: 5,
        questions: 4,
        answered: 2,
      });
      // A change of zone forgets the rollups: read live until the job rolls the days up again.
      assert.deepEqual(await rolledUp(), []);
      assert.equal(await rollUpCommunity(env().deps, f.community.id, { recheck: true }), 9);
    });

    test("past days are read from the rollups: a write no event reports shows once the day is checked again", async () => {
      // T2 revived without an event (as a timer would): the rolled-up 01-10 still counts it abandoned.
      await env().deps.db.updateTable("topics").set({ abandonedAt: null }).where("id", "=", f.t2.id).execute();
      assert.equal((await summary("from=2026-01-10&to=2026-01-11")).abandoned, 1);
      env().clock.set(utc(15, 11));
      assert.equal(await rollUpCommunity(env().deps, f.community.id, { recheck: true }), 10, "01-14, and 9 rechecked");
      assert.equal((await summary("from=2026-01-10&to=2026-01-11")).abandoned, 0);
    });

    test("a late change to a past day is read live at once, and rolled up again by the job", async () => {
      const range = "from=2026-01-10&to=2026-01-11";
      assert.deepEqual(pick(await summary(range), ["answered", "firstResponseMedianMinutes"]), {
        answered: 2,
        firstResponseMedianMinutes: 90,
      });
      // The helper's answer to T1 (01-10) is hidden, and T5 (01-11) moved from TV to Internet.
      const answer = await env()
        .deps.db.selectFrom("replies")
        .select("id")
        .where("topicId", "=", f.t1.id)
        .where("authorId", "=", f.helper.id)
        .executeTakeFirstOrThrow();
      const hide = await env().api.post(`/api/v1/posts/reply/${answer.id}/hide`, {}, f.moderator.auth);
      assert.equal(hide.status, 200);
      const move = await env().api.post(
        `/api/v1/topics/${f.t5.id}/move`,
        { categoryId: f.internet.id },
        f.moderator.auth,
      );
      assert.equal(move.status, 200);
      assert.equal((await rolledUp()).filter((d) => d === "2026-01-10" || d === "2026-01-11").length, 0);
      const expected = {
        answered: 1,
        firstResponseMedianMinutes: 120,
      };
      assert.deepEqual(pick(await summary(range), ["answered", "firstResponseMedianMinutes"]), expected);
      const internet = `${range}&category=${f.internet.id}`;
      const tv = `${range}&category=${f.tv.id}`;
      assert.deepEqual([(await summary(internet)).questions, (await summary(tv)).questions], [4, 0]);
      const live = await everything();

      const jobs = await pendingRollups();
      assert.equal(jobs.length, 1, "one recompute for the community, however many changes");
      assert.deepEqual(JSON.parse(jobs[0].payload), { communityId: f.community.id });
      env().clock.set(Number(jobs[0].runAt));
      await runJobsNow(env().deps, buildJobRegistry(), [jobs[0].id]);
      assert.ok((await rolledUp()).includes("2026-01-10") && (await rolledUp()).includes("2026-01-11"));
      assert.deepEqual(await everything(), live);
    });

    test("today is live: a topic and an answer posted now count at once", async () => {
      const range = "from=2026-01-10&to=2026-01-15";
      const before = await get(range);
      await buildTopic(env(), f.slug, f.asker, { title: "Landline crackles today", categoryId: f.tv.id });
      const invoice = await env()
        .deps.db.selectFrom("topics")
        .select("id")
        .where("title", "=", "Invoice missing this month")
        .executeTakeFirstOrThrow();
      await buildReply(env(), invoice.id, f.helper, "It is in the app under Documents.");
      const after = await get(range);
      assert.equal(after.body.series.at(-1).date, "2026-01-15");
      assert.equal(after.body.series.at(-1).topics, before.body.series.at(-1).topics + 1);
      assert.equal(after.body.summary.answered, before.body.summary.answered + 1, "T5 (01-11) is answered now");
      assert.equal(after.body.summary.topics, before.body.summary.topics + 1);
      assert.ok(!(await rolledUp()).includes("2026-01-15"));
    });
    test("two rollup runs and a change at once leave the rollups as the live computation", async () => {
      const days = datesOf("2026-01-01", "2026-01-31");
      const runs = Promise.all([
        rollUpCommunity(env().deps, f.community.id, { recheck: true }),
        rollUpCommunity(env().deps, f.community.id, { recheck: true }),
        env().api.post(`/api/v1/posts/topic/${f.t2.id}/hide`, { reason: "spam" }, f.moderator.auth),
      ]);
      assert.equal((await runs)[2].status, 200);
      const due = await pendingRollups();
      for (const job of due) {
        env().clock.set(Math.max(env().clock.now(), Number(job.runAt)));
        await runJobsNow(env().deps, buildJobRegistry(), [job.id]);
      }
      const rolled = await everything();
      await invalidateDays(env().deps, f.community.id, days);
      assert.deepEqual(rolled, await everything());
    });

    test("a change made while the days are cut in another time zone reads right once the zone is set back", async () => {
      // Posted at 00:30 in Zurich, 23:30 UTC the day before: its Zurich day is not its UTC day.
      const now = env().clock.now();
      env().clock.set(Date.UTC(2026, 0, 8, 23, 30));
      const late = await buildTopic(env(), f.slug, f.asker, { title: "Posted just after midnight in Zurich" });
      env().clock.set(now);
      await rollUpCommunity(env().deps, f.community.id, { recheck: true });
      const settings = `/api/v1/communities/${f.slug}/insights/settings`;
      assert.equal((await env().api.put(settings, { timezone: "UTC" }, f.admin.auth)).status, 200);
      const hidden = await env().api.post(`/api/v1/posts/topic/${late.id}/hide`, { reason: "spam" }, f.moderator.auth);
      assert.equal(hidden.status, 200);
      assert.equal((await env().api.put(settings, { timezone: "Europe/Zurich" }, f.admin.auth)).status, 200);
      const read = await everything();
      await invalidateDays(env().deps, f.community.id, datesOf("2025-12-01", "2026-01-31"));
      assert.deepEqual(read, await everything());
    });

    test("whole months are read from the monthly rollups, with the same figures", async () => {
      const db = env().deps.db;
      await db
        .updateTable("communities")
        .set({ createdAt: Date.UTC(2025, 10, 20) })
        .where("id", "=", f.community.id)
        .execute();
      await invalidateDays(env().deps, f.community.id, datesOf("2025-11-01", "2026-02-28"));
      env().clock.set(Date.UTC(2026, 1, 3, 11));
      const queries = [
        "from=2026-01-01&to=2026-01-31",
        `from=2026-01-01&to=2026-01-31&category=${f.internet.id}`,
        `from=2026-01-01&to=2026-01-31&category=${f.tv.id}`,
        "from=2025-12-01&to=2026-02-03&interval=month",
        "from=2026-01-10&to=2026-02-03&interval=week",
      ];
      const read = async () => Promise.all(queries.map(async (q) => (await get(q)).body));
      const live = await read();
      assert.ok(live[0].summary.activeMembers > 0 && live[0].topContributors.length > 0);
      await rollUpCommunity(env().deps, f.community.id, { recheck: true });
      const months = await db
        .selectFrom("insightsMonthlyActive")
        .select("month")
        .distinct()
        .where("communityId", "=", f.community.id)
        .where("categoryId", "=", ALL_CATEGORIES)
        .orderBy("month")
        .execute();
      assert.deepEqual(
        months.map((m) => m.month),
        ["2026-01"],
        "November began before the community was; December had nobody active",
      );
      assert.deepEqual(await read(), live);
    });

    test("a backfill of 90 days or more refreshes PostgreSQL's statistics of the rollup tables", async () => {
      const { db, dialect } = env().deps;
      f = await buildInsightsFixture(env());
      const analyzedTables = sql<{ n: number }>`select count(*)::int as n from pg_stat_user_tables
        where schemaname = current_schema() and relname like 'insights_%' and last_analyze is not null`;
      const analyzed = async () => (dialect === "postgres" ? (await analyzedTables.execute(db)).rows[0].n : 0);
      assert.equal(await analyzed(), 0);
      // The fixture's community was created in November: by 04-30 it has well over 90 days to roll up.
      env().clock.set(utc(120, 11));
      assert.ok((await rollUpCommunity(env().deps, f.community.id, { recheck: true })) >= 90);
      assert.equal(await analyzed(), dialect === "postgres" ? 9 : 0);
    });

    test("a membership ended later (a member removed, an account deleted) is read live at once, and rolled up again", async () => {
      f = await buildInsightsFixture(env());
      env().clock.set(utc(14, 11));
      await rollUpCommunity(env().deps, f.community.id, { recheck: true });
      const joinedDay = "from=2026-01-05&to=2026-01-05";
      const before = (await summary(joinedDay)).newMembers;
      assert.ok(before >= 3, `the fixture's members joined on 01-05 (${before})`);
      const recompute = async () => {
        const due = await pendingRollups();
        assert.equal(due.length, 1);
        env().clock.set(Number(due[0].runAt));
        await runJobsNow(env().deps, buildJobRegistry(), [due[0].id]);
        assert.ok((await rolledUp()).includes("2026-01-05"), "computed again");
      };
      const removed = await env().api.delete(`/api/v1/communities/${f.slug}/members/${f.other.id}`, f.moderator.auth);
      assert.equal(removed.status, 200, JSON.stringify(removed.body));
      assert.ok(!(await rolledUp()).includes("2026-01-05"), "its day is read live");
      assert.equal((await summary(joinedDay)).newMembers, before - 1);
      await recompute();
      assert.equal((await summary(joinedDay)).newMembers, before - 1);

      const deleted = await env().api.request("DELETE", "/api/v1/me", { password: TEST_PASSWORD }, f.helper.auth);
      assert.equal(deleted.status, 204);
      assert.equal((await summary(joinedDay)).newMembers, before - 2);
      await recompute();
      assert.equal((await summary(joinedDay)).newMembers, before - 2);
    });

    test("a community whose rollup fails stops neither the others' nor the next hourly run", async () => {
      const db = env().deps.db;
      // Rolled up before the fixture's community (by id).
      const broken = await buildCommunity(env(), { members: { member: 1 } });
      f = await buildInsightsFixture(env());
      // A creation time no date can hold (a hand edit, a damaged restore): this community's rollup throws.
      await db.updateTable("communities").set({ createdAt: 9e15 }).where("id", "=", broken.community.id).execute();
      env().clock.set(utc(14, 11));
      await assert.rejects(() => rollupsJob.run(env().deps, null), /Rollups failed for communities/);
      assert.equal((await rolledUp()).length, 9, "the fixture's community is rolled up all the same");
      const next = await db
        .selectFrom("jobs")
        .select("runAt")
        .where("name", "=", "insights.rollups")
        .where("status", "=", "pending")
        .execute();
      assert.deepEqual(
        next.map((j) => Number(j.runAt)),
        [utc(14, 12)],
        "the next hour's run is queued",
      );
    });

    test("stored settings this installation cannot use fall back to their defaults, not to a 500", async () => {
      f = await buildInsightsFixture(env());
      // An archive from an installation whose time zone data knows a zone this one does not.
      await env()
        .deps.db.updateTable("communitySettings")
        .set({ value: JSON.stringify({ costPerContactCents: 1500, currency: "euro", timezone: "Mars/Olympus_Mons" }) })
        .where("communityId", "=", f.community.id)
        .where("section", "=", "insights")
        .execute();
      const res = await get("from=2026-01-10&to=2026-01-11");
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.deepEqual(
        [res.body.timezone, res.body.summary.roi.currency, res.body.summary.roi.costPerContactCents],
        ["UTC", "CHF", 1500],
      );
      assert.equal((await getPage(env(), `/c/${f.slug}/insights`, f.staff)).status, 200);
      assert.ok((await rollUpCommunity(env().deps, f.community.id, { recheck: true })) > 0);
    });
  },
  roomyLimits,
);
