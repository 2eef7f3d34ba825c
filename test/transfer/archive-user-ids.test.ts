import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { exportCommunity, importArchive } from "../../src/transfer/index.ts";
import { DATABASES, type TestEnv, buildCommunity, buildTopic, buildUser, createTestEnv } from "../helpers.ts";

/**
 * Members get new ids when an archive goes into an installation with accounts of its own: every
 * column naming a member must follow them, not keep the id of whoever has it here.
 */
for (const database of DATABASES)
  describe(`an archive's member ids in other columns [${database.name}]`, () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cs-archive-user-ids-"));
    const file = path.join(dir, "archive.jsonl.gz");
    let source: TestEnv;
    let target: TestEnv;
    let slug: string;
    let author: { email: string };
    let moderator: { email: string };
    before(async () => {
      source = await createTestEnv(database, { dataDir: path.join(dir, "source") });
      target = await createTestEnv(database, { dataDir: path.join(dir, "target") });
      const built = await buildCommunity(source, { members: { member: 1, moderator: 1 } });
      slug = built.slug;
      const [member] = built.members.member;
      const [mod] = built.members.moderator;
      author = member;
      moderator = mod;
      const topic = await buildTopic(source, slug, member, { body: "Call me on +41 79 555 12 34." });
      const edited = await source.api.patch(`/api/v1/topics/${topic.id}`, { body: "The router blinks." }, member.auth);
      assert.equal(edited.status, 200);
      // A moderator's edit of the member's post: its audit entry names the author in its details.
      const retitled = { title: "The router blinks orange" };
      assert.equal((await source.api.patch(`/api/v1/topics/${topic.id}`, retitled, mod.auth)).status, 200);
      const reason = { reason: "A phone number posted by mistake." };
      assert.equal(
        (await source.api.post(`/api/v1/topics/${topic.id}/history/1/redact`, reason, mod.auth)).status,
        200,
      );
      const suspended = await source.api.put(
        `/api/v1/communities/${slug}/members/${member.id}/suspension`,
        { days: 2, reason: "Posting phone numbers" },
        built.admin.auth,
      );
      assert.equal(suspended.status, 200);
      await exportCommunity(source.deps, { slug, file });
      // Accounts here take the ids the archive's members had.
      for (let i = 0; i < 12; i++) await buildUser(target);
      await importArchive(target.deps, { file });
    });
    after(async () => {
      await source.close();
      await target.close();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    const idHere = async (email: string) =>
      (await target.deps.db.selectFrom("users").select("id").where("email", "=", email).executeTakeFirstOrThrow()).id;

    test("a redacted version names the moderator who redacted it", async () => {
      const revision = await target.deps.db
        .selectFrom("revisions")
        .select(["redactedBy", "editorId"])
        .where("redactedBy", "is not", null)
        .executeTakeFirstOrThrow();
      assert.equal(revision.redactedBy, await idHere(moderator.email));
      assert.equal(revision.editorId, await idHere(author.email));
    });

    test("the audit log names the member a moderation action was about", async () => {
      const community = await target.deps.db
        .selectFrom("communities")
        .select("id")
        .where("slug", "=", slug)
        .executeTakeFirstOrThrow();
      const entry = await target.deps.db
        .selectFrom("auditLog")
        .select(["targetType", "targetId"])
        .where("communityId", "=", community.id)
        .where("action", "=", "member.suspend")
        .executeTakeFirstOrThrow();
      assert.deepEqual(entry, { targetType: "member", targetId: await idHere(author.email) });
      const edit = await target.deps.db
        .selectFrom("auditLog")
        .select("details")
        .where("communityId", "=", community.id)
        .where("action", "=", "post.edit")
        .executeTakeFirstOrThrow();
      assert.deepEqual(JSON.parse(edit.details), { authorId: await idHere(author.email) }, "and in its details");
    });
  });
