import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, buildTopic, describeEachDatabase } from "../helpers.ts";

const reason = { reason: "A phone number posted by mistake." };

describeEachDatabase("redacting the edit history at once", (env) => {
  test("two moderators redacting one version at once: one redaction, one audit entry, the other 409", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 1, moderator: 2 } });
    const [author] = members.member;
    for (let round = 0; round < 5; round++) {
      const topic = await buildTopic(env(), slug, author, { body: `Call me on +41 79 555 12 3${round}.` });
      const reply = (
        await env().api.post(
          `/api/v1/topics/${topic.id}/replies`,
          { body: `Or on +41 79 555 00 0${round}.` },
          author.auth,
        )
      ).body.reply;
      await env().api.patch(`/api/v1/topics/${topic.id}`, { body: "The router blinks red." }, author.auth);
      await env().api.patch(`/api/v1/replies/${reply.id}`, { body: "Try a restart." }, author.auth);
      for (const [type, path] of [
        ["topic", `/api/v1/topics/${topic.id}`],
        ["reply", `/api/v1/replies/${reply.id}`],
      ] as const) {
        const answers = await Promise.all(
          members.moderator.map((m) => env().api.post(`${path}/history/1/redact`, reason, m.auth)),
        );
        assert.deepEqual(answers.map((a) => a.status).sort(), [200, 409], `${type}, round ${round}`);
        const audits = await env()
          .deps.db.selectFrom("auditLog")
          .select("id")
          .where("action", "=", "revision.redact")
          .where("targetType", "=", type)
          .where("targetId", "=", type === "topic" ? topic.id : reply.id)
          .execute();
        assert.equal(audits.length, 1, `${type}, round ${round}: audited once`);
      }
    }
  });
});
