import { sql, type Kysely } from "kysely";

/**
 * The topics whose posts show an attached image (storage/attachment-access.ts): an image shown only in
 * questions of a private category (billing, account) is served to their askers and staff, not to anyone
 * holding its address. Written by the transaction that saves a post or an edit of its body.
 *
 * Filled in here for the topics already in private categories, the only ones it changes anything for:
 * their posts' Markdown is read for attached images' addresses (the pattern is the one of migration 022's
 * addresses, written out so this migration never changes).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("attachment_topics")
    .addColumn("key", "text", (c) => c.notNull())
    .addColumn("topic_id", "integer", (c) => c.notNull().references("topics.id").onDelete("cascade"))
    .addPrimaryKeyConstraint("attachment_topics_pk", ["key", "topic_id"])
    .execute();
  await db.schema.createIndex("attachment_topics_topic_idx").on("attachment_topics").column("topic_id").execute();
  const posts = await sql<{ topicId: number; body: string }>`
    select t.id as "topicId", t.body from topics t join categories c on c.id = t.category_id
      where c.scope = 'private' and t.body like '%/uploads/attachments/%'
    union all
    select r.topic_id, r.body from replies r join topics t on t.id = r.topic_id join categories c on c.id = t.category_id
      where c.scope = 'private' and r.body like '%/uploads/attachments/%'
    union all
    select t.id, co.body from comments co left join replies r on r.id = co.reply_id
      join topics t on t.id = coalesce(co.topic_id, r.topic_id) join categories c on c.id = t.category_id
      where c.scope = 'private' and co.body like '%/uploads/attachments/%'`.execute(db);
  const links = new Map<string, { key: string; topic_id: number }>();
  for (const post of posts.rows)
    for (const match of post.body.matchAll(/\/uploads\/(attachments\/[a-f0-9]{32}-\d{1,5}x\d{1,5}\.webp)/g))
      links.set(`${match[1]} ${post.topicId}`, { key: match[1], topic_id: Number(post.topicId) });
  if (links.size)
    await db
      .insertInto("attachment_topics")
      .values([...links.values()])
      .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("attachment_topics").execute();
}
