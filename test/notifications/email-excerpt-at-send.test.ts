import { test } from "node:test";
import assert from "node:assert/strict";
import { TEST_PASSWORD, buildCommunity, buildReply, buildTopic, describeEachDatabase } from "../helpers.ts";
import { emailsTo, tokenIn, uniqueEmail } from "../accounts/support.ts";
import { drainJobs, freePort, startSmtp } from "./support.ts";

const downPort = await freePort();
describeEachDatabase(
  "a queued email whose post or recipient changed since",
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

    test("goes to the member's address as it is when it goes, if they moved since", async () => {
      const { slug, members } = await buildCommunity(env(), { members: { member: 2 } });
      const [asker, helper] = members.member;
      const topic = await buildTopic(env(), slug, asker, { title: "Voicemail PIN forgotten" });
      await buildReply(env(), topic.id, helper, "Dial 5500 and follow the prompts");
      await drainJobs(env()); // the SMTP server is down: the email waits for its retry
      const moved = uniqueEmail();
      assert.equal(
        (await env().api.put("/api/v1/me/email", { email: moved, password: TEST_PASSWORD }, asker.auth)).status,
        202,
      );
      const [confirm] = await emailsTo(env(), moved);
      const token = tokenIn(confirm.textBody, "/verify-email");
      assert.equal((await env().api.post("/api/v1/auth/verify-email", { token })).status, 200);
      const back = await startSmtp(downPort);
      try {
        env().clock.advance(24 * 3600_000);
        await drainJobs(env());
        const to = (address: string) =>
          back.received.filter((m) => m.to && !Array.isArray(m.to) && m.to.text === address);
        const told = (address: string) => to(address).filter((m) => /Dial 5500/.test(m.text ?? "")).length;
        assert.equal(told(asker.email), 0, "not to the address the member left");
        assert.equal(told(moved), 1);
        // Account emails keep their address: the old one is still told of the change.
        assert.deepEqual(
          to(asker.email).map((m) => m.subject),
          ["Your email address is being changed"],
        );
      } finally {
        await back.close();
      }
      const [sent] = (await emailsTo(env(), moved)).filter((d) => d.kind !== confirm.kind);
      assert.equal(sent.status, "sent", "admins see where it went");
    });
  },
  { smtpUrl: `smtp://127.0.0.1:${downPort}` },
);
