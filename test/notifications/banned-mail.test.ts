import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, buildReply, buildTopic, describeEachDatabase } from "../helpers.ts";
import { drainJobs, freePort, startSmtp } from "./support.ts";
import { sendDigests } from "../../src/notifications/notifications.digest.ts";

const downPort = await freePort();
const sentTo = (server: Awaited<ReturnType<typeof startSmtp>>, address: string) =>
  server.received.filter((m) => m.to && !Array.isArray(m.to) && m.to.value.some((v) => v.address === address));

describeEachDatabase(
  "a member banned while an email or a digest about the community was still to go",
  (env) => {
    test("gets neither; their notifications about it are back once the ban is lifted", async () => {
      const { slug, members } = await buildCommunity(env(), { members: { member: 3, moderator: 1 } });
      const [asker, helper, follower] = members.member;
      const mod = members.moderator[0];
      const topic = await buildTopic(env(), slug, asker, { title: "Fibre box shows a red light" });
      assert.equal((await env().api.put(`/api/v1/topics/${topic.id}/follow`, {}, follower.auth)).status, 200);
      await buildReply(env(), topic.id, helper, "Unplug it for thirty seconds.");
      await drainJobs(env()); // the SMTP server is down: the asker's email waits for its retry
      for (const member of [asker, follower]) {
        const banned = await env().api.put(
          `/api/v1/communities/${slug}/members/${member.id}/ban`,
          { reason: "Harassment" },
          mod.auth,
        );
        assert.equal(banned.status, 200);
      }
      const shown = async (member: typeof asker) => {
        const list = (await env().api.get("/api/v1/notifications", member.auth)).body;
        return [list.notifications.length, list.unreadCount];
      };
      assert.deepEqual(await shown(asker), [0, 0], "nothing from the community while banned");
      assert.equal(await sendDigests(env().deps, "daily"), 0, "no digest about it");
      const back = await startSmtp(downPort);
      try {
        env().clock.advance(24 * 3600_000);
        await drainJobs(env());
      } finally {
        await back.close();
      }
      assert.equal(sentTo(back, asker.email).length, 0, "the queued email is not sent after the ban");
      assert.equal(sentTo(back, follower.email).length, 0, "nor a digest");
      const delivery = await env()
        .deps.db.selectFrom("emailDeliveries")
        .select("status")
        .where("userId", "=", asker.id)
        .executeTakeFirstOrThrow();
      assert.equal(delivery.status, "withdrawn");
      const lifted = await env().api.delete(`/api/v1/communities/${slug}/members/${follower.id}/ban`, mod.auth);
      assert.equal(lifted.status, 200);
      assert.deepEqual(await shown(follower), [1, 1], "lifting the ban brings the notification back");
    });
  },
  { smtpUrl: `smtp://127.0.0.1:${downPort}` },
);
