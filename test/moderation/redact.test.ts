import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, buildTopic, describeEachDatabase } from "../helpers.ts";
import { browse, getPage } from "../web/web-helpers.ts";

const PHONE = "+41 79 555 12 34";

describeEachDatabase("redacting the edit history", (env) => {
  test("a moderator erases a past version from the API, the page and the database; the audit log keeps it", async () => {
    const { slug, admin, members } = await buildCommunity(env(), { members: { member: 2, moderator: 1 } });
    const [author, other] = members.member;
    const moderator = members.moderator[0];
    const topic = await buildTopic(env(), slug, author, { body: `Call me on ${PHONE} about the router.` });
    const edited = await env().api.patch(`/api/v1/topics/${topic.id}`, { body: "The router blinks red." }, author.auth);
    assert.equal(edited.status, 200);
    const history = `/api/v1/topics/${topic.id}/history`;
    assert.match(JSON.stringify((await env().api.get(history)).body), new RegExp(PHONE.replaceAll("+", "\\+")));

    const reason = { reason: "A phone number posted by mistake." };
    for (const user of [author, other]) {
      const refused = await env().api.post(`${history}/1/redact`, reason, user.auth);
      assert.equal(refused.status, 403, "only moderators redact");
    }
    assert.equal((await env().api.post(`${history}/2/redact`, reason, moderator.auth)).status, 409, "current");
    assert.equal((await env().api.post(`${history}/3/redact`, reason, moderator.auth)).status, 404);
    const missingReason = await env().api.post(`${history}/1/redact`, { reason: "" }, moderator.auth);
    assert.equal(missingReason.status, 422);

    assert.equal((await env().api.post(`${history}/1/redact`, reason, moderator.auth)).status, 200);
    assert.equal((await env().api.post(`${history}/1/redact`, reason, moderator.auth)).status, 409, "once");
    const versions = (await env().api.get(history)).body.revisions;
    assert.equal(versions[0].body, "[redacted]");
    assert.equal(versions[0].title, "[redacted]");
    assert.equal(versions[0].redactedAt, new Date(env().clock.now()).toISOString());
    assert.equal(versions[1].body, "The router blinks red.");
    assert.equal(versions[1].redactedAt, null);
    assert.ok(!JSON.stringify(versions).includes(PHONE));

    const page = await getPage(env(), `/c/${slug}/t/${topic.id}/history`, other);
    assert.equal(page.status, 200);
    assert.ok(!page.body.includes(PHONE), "gone from the page");
    assert.match(page.body, /Redacted by a moderator/);
    assert.doesNotMatch(page.body, /\/history\/1\/redact/, "no redact form for members");

    const stored = await env()
      .deps.db.selectFrom("revisions")
      .select(["body", "redactedBy"])
      .where("targetType", "=", "topic")
      .where("targetId", "=", topic.id)
      .orderBy("id")
      .executeTakeFirstOrThrow();
    assert.deepEqual(stored, { body: "", redactedBy: moderator.id }, "erased from the database");

    const audit = (await env().api.get(`/api/v1/communities/${slug}/audit-log`, admin.auth)).body.entries;
    const entry = audit.find((e: { action: string }) => e.action === "revision.redact");
    assert.deepEqual(
      [entry.actor.id, entry.target, entry.details, entry.createdAt],
      [
        moderator.id,
        { type: "topic", id: topic.id },
        { version: 1, reason: reason.reason },
        new Date(env().clock.now()).toISOString(),
      ],
    );
  });

  test("the history page's redact form works for a moderator's reply history, with CSRF", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 1, moderator: 1 } });
    const [author] = members.member;
    const moderator = members.moderator[0];
    const topic = await buildTopic(env(), slug, author);
    const reply = (await env().api.post(`/api/v1/topics/${topic.id}/replies`, { body: `Mine: ${PHONE}` }, author.auth))
      .body.reply;
    await env().api.patch(`/api/v1/replies/${reply.id}`, { body: "Try a restart." }, author.auth);
    const historyPage = `/c/${slug}/r/${reply.id}/history`;
    const browser = await browse(env(), moderator);
    const before = await browser.get(historyPage);
    assert.match(before.body, new RegExp(`action="${historyPage}/1/redact"`));
    assert.doesNotMatch(before.body, /\/history\/2\/redact/, "not the current version");

    const forged = await browser.submit(`${historyPage}/1/redact`, { reason: "Phone number.", _csrf: "forged" });
    assert.equal(forged.status, 403);
    const done = await browser.submit(`${historyPage}/1/redact`, { reason: "Phone number." });
    assert.equal(done.status, 303);
    assert.equal(done.headers.location, historyPage);
    const after = await browser.get(historyPage);
    assert.ok(!after.body.includes(PHONE));
    const api = (await env().api.get(`/api/v1/replies/${reply.id}/history`, author.auth)).body.revisions;
    assert.deepEqual(
      api.map((v: { body: string }) => v.body),
      ["[redacted]", "Try a restart."],
    );
  });
});
