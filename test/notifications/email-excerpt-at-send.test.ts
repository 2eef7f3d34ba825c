import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, buildReply, buildTopic, describeEachDatabase } from "../helpers.ts";
import { drainJobs, freePort, startSmtp } from "./support.ts";

const downPort = await freePort();
describeEachDatabase(
  "a queued email whose post was edited since",
  (env) => {
    test("goes with the excerpt of the post as edited, not the text before", async () => {
      const { slug, members } = await buildCommunity(env(), { members: { member: 2 } });
      const [asker, helper] = members.member;
      const topic = await buildTopic(env(), slug, asker, { title: "Roaming charges in Norway" });
      const reply = await buildReply(env(), topic.id, helper, "Call me at 555 0100 for a cheap SIM");
      await drainJobs(env()); // the SMTP server is down: the email waits for its retry
      const edited = await env().api.patch(
        `/api/v1/replies/${reply.id}`,
        { body: "Ask your operator for a roaming pack" },
        helper.auth,
      );
      assert.equal(edited.status, 200);
      const back = await startSmtp(downPort);
      try {
        env().clock.advance(24 * 3600_000);
        await drainJobs(env());
        const sent = back.received.filter((m) => m.to && !Array.isArray(m.to) && m.to.text === asker.email);
        assert.equal(sent.length, 1);
        assert.match(sent[0].text ?? "", /Ask your operator for a roaming pack/);
        assert.doesNotMatch(`${sent[0].text} ${sent[0].html}`, /555 0100/, "the number taken out does not go");
      } finally {
        await back.close();
      }
      const delivery = await env()
        .deps.db.selectFrom("emailDeliveries")
        .select(["status", "textBody"])
        .where("toAddress", "=", asker.email)
        .executeTakeFirstOrThrow();
      assert.equal(delivery.status, "sent");
      assert.doesNotMatch(delivery.textBody, /555 0100/, "admins see what went");
    });
  },
  { smtpUrl: `smtp://127.0.0.1:${downPort}` },
);
