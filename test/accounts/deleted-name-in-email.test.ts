import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, buildReply, buildTopic, buildUser, describeEachDatabase, TEST_PASSWORD } from "../helpers.ts";
import { drainJobs, freePort, startSmtp } from "../notifications/support.ts";

// A queued email is composed again from its notification when it goes: a deleted member's display
// name written in the excerpt (a reply signed with it) must be renamed there too, not only in the
// queued text.
const downPort = await freePort();
describeEachDatabase(
  "a deleted member's name in an email still waiting to go",
  (env) => {
    test("is 'Deleted member' in the excerpt that goes, as in the queued text", async () => {
      const { slug } = await buildCommunity(env());
      const asker = await buildUser(env(), { name: "Otto Asker" });
      const leaver = await buildUser(env(), { name: "Grace Leaver" });
      const topic = await buildTopic(env(), slug, asker, { title: "Roaming charges in Norway" });
      await buildReply(env(), topic.id, leaver, "Ask for the roaming pack. Greetings, Grace Leaver");
      await drainJobs(env()); // the SMTP server is down: the email waits for its retry
      const deleted = await env().api.request("DELETE", "/api/v1/me", { password: TEST_PASSWORD }, leaver.auth);
      assert.equal(deleted.status, 204);
      const back = await startSmtp(downPort);
      try {
        env().clock.advance(24 * 3600_000);
        await drainJobs(env());
        const sent = back.received.filter((m) => m.to && !Array.isArray(m.to) && m.to.text === asker.email);
        assert.equal(sent.length, 1);
        assert.match(sent[0].text ?? "", /Greetings, Deleted member/);
        assert.doesNotMatch(`${sent[0].subject} ${sent[0].text} ${sent[0].html}`, /Grace Leaver/);
      } finally {
        await back.close();
      }
    });
  },
  { smtpUrl: `smtp://127.0.0.1:${downPort}` },
);
