import { type CreateTableBuilder, type Kysely, sql } from "kysely";
import { dialectOf } from "../dialect.ts";

/**
 * Insights rollups (issue #13, "fast at any size"): the additive figures of each community's
 * local day, per category (0 for topics without one), kept by the insights jobs. A day is rolled
 * up when its `insights_days` row exists; the other tables hold rows only for such days. Replies
 * and comments get a time index, so the live part of a dashboard (today) reads only today's posts.
 */
export async function up(db: Kysely<any>): Promise<void> {
  // On SQLite the rows live in their primary key's order (days of a community together), so a
  // range of days is one sequential read with no lookup per row.
  const clustered = dialectOf(db) === "sqlite" ? sql`without rowid` : sql``;
  const dayKey = <T extends string>(table: CreateTableBuilder<T, never>) =>
    table
      .modifyEnd(clustered)
      .addColumn("community_id", "integer", (c) => c.notNull().references("communities.id").onDelete("cascade"))
      .addColumn("day", "text", (c) => c.notNull());
  const perCategory = <T extends string>(table: CreateTableBuilder<T, never>) =>
    dayKey(table).addColumn("category_id", "integer", (c) => c.notNull());

  /** One row per rolled-up day, with the basis it was computed on and the community-wide counts. */
  await dayKey(db.schema.createTable("insights_days"))
    .addColumn("timezone", "text", (c) => c.notNull())
    .addColumn("locale", "text", (c) => c.notNull())
    .addColumn("searches", "integer", (c) => c.notNull())
    .addColumn("suggestions_shown", "integer", (c) => c.notNull())
    .addColumn("deflected", "integer", (c) => c.notNull())
    .addColumn("new_members", "integer", (c) => c.notNull())
    .addColumn("computed_at", "bigint", (c) => c.notNull())
    .addPrimaryKeyConstraint("insights_days_pk", ["community_id", "day"])
    .execute();

  let daily = perCategory(db.schema.createTable("insights_daily"));
  for (const column of [
    "question",
    "problem",
    "idea",
    "praise",
    "answered",
    "unanswered",
    "solved",
    "abandoned",
    "escalated",
    "routed",
    "answered_by_routed",
    "staff_answers",
    "member_answers",
  ])
    daily = daily.addColumn(column, "integer", (c) => c.notNull());
  await daily.addPrimaryKeyConstraint("insights_daily_pk", ["community_id", "day", "category_id"]).execute();

  /** The first-response time of each answered question, so a median over any days is exact. */
  await perCategory(db.schema.createTable("insights_daily_responses"))
    .addColumn("topic_id", "integer", (c) => c.notNull())
    .addColumn("response_ms", "bigint", (c) => c.notNull())
    .addPrimaryKeyConstraint("insights_daily_responses_pk", ["community_id", "day", "topic_id"])
    .execute();

  await perCategory(db.schema.createTable("insights_daily_contributors"))
    .addColumn("user_id", "integer", (c) => c.notNull())
    .addColumn("answers", "integer", (c) => c.notNull())
    .addColumn("accepted", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("insights_daily_contributors_pk", ["community_id", "day", "category_id", "user_id"])
    .execute();

  /** Who posted on the day: active members over a range are the distinct users of its days. */
  await perCategory(db.schema.createTable("insights_daily_active"))
    .addColumn("user_id", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("insights_daily_active_pk", ["community_id", "day", "category_id", "user_id"])
    .execute();

  /**
   * Topics per tag and per title word (its stem in `term`), for trending; `label` is the form the
   * day's first topic with it wrote, at `first_at`.
   */
  await perCategory(db.schema.createTable("insights_daily_terms"))
    .addColumn("type", "text", (c) => c.notNull())
    .addColumn("term", "text", (c) => c.notNull())
    .addColumn("label", "text", (c) => c.notNull())
    .addColumn("first_at", "bigint", (c) => c.notNull())
    .addColumn("topics", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("insights_daily_terms_pk", ["community_id", "day", "category_id", "type", "term"])
    .execute();

  /**
   * The same three, per calendar month (`month`: YYYY-MM) and also for all categories at once
   * (category -1), for the months whose every day is rolled up: a year's range then reads twelve
   * months and a few days instead of every day.
   */
  const monthKey = <T extends string>(table: CreateTableBuilder<T, never>) =>
    table
      .modifyEnd(clustered)
      .addColumn("community_id", "integer", (c) => c.notNull().references("communities.id").onDelete("cascade"))
      .addColumn("month", "text", (c) => c.notNull())
      .addColumn("category_id", "integer", (c) => c.notNull());
  await monthKey(db.schema.createTable("insights_monthly_contributors"))
    .addColumn("user_id", "integer", (c) => c.notNull())
    .addColumn("answers", "integer", (c) => c.notNull())
    .addColumn("accepted", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("insights_monthly_contributors_pk", ["community_id", "month", "category_id", "user_id"])
    .execute();
  await monthKey(db.schema.createTable("insights_monthly_active"))
    .addColumn("user_id", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("insights_monthly_active_pk", ["community_id", "month", "category_id", "user_id"])
    .execute();
  await monthKey(db.schema.createTable("insights_monthly_terms"))
    .addColumn("type", "text", (c) => c.notNull())
    .addColumn("term", "text", (c) => c.notNull())
    .addColumn("label", "text", (c) => c.notNull())
    .addColumn("first_at", "bigint", (c) => c.notNull())
    .addColumn("topics", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("insights_monthly_terms_pk", [
      "community_id",
      "month",
      "category_id",
      "type",
      "term",
      "label",
    ])
    .execute();

  await db.schema.createIndex("replies_created").on("replies").column("created_at").execute();
  await db.schema.createIndex("comments_created").on("comments").column("created_at").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("comments_created").execute();
  await db.schema.dropIndex("replies_created").execute();
  for (const table of [
    "insights_monthly_terms",
    "insights_monthly_active",
    "insights_monthly_contributors",
    "insights_daily_terms",
    "insights_daily_active",
    "insights_daily_contributors",
    "insights_daily_responses",
    "insights_daily",
    "insights_days",
  ])
    await db.schema.dropTable(table).execute();
}
