import { after, test } from "node:test";
import assert from "node:assert/strict";
import {
  buildCommunity,
  buildTopic,
  describeEachDatabase,
  openingTransactionAfter,
  TEST_PASSWORD,
} from "../helpers.ts";
import { drainJobs, startSmtp } from "./support.ts";
import { fanoutJob } from "../../src/notifications/notifications.fanout.ts";

const smtp = await startSmtp();
after(() => smtp.close());

describeEachDatabase(
  "an account deleted while a fan-out runs",
  (env) => {
    test("gets no notification, no email, and nothing of theirs is left behind", async () => {
      const { community, slug, members } = await buildCommunity(env(), { members: { member: 2 } });
      const [asker, helper] = members.member;
      const topic = await buildTopic(env(), slug, asker, { title: "Modem lights all off" });
      await drainJobs(env());
      const received = smtp.received.length;
      // The fan-out has chosen its recipients; the asker deletes their account before it stores anything.
      const deps = openingTransactionAfter(env().deps, async () => {
        const deleted = await env().api.request("DELETE", "/api/v1/me", { password: TEST_PASSWORD }, asker.auth);
        assert.equal(deleted.status, 204);
      });
      await fanoutJob.run(deps, {
        kind: "reply",
        userIds: [asker.id],
        communityId: community.id,
        topicId: topic.id,
        actorId: helper.id,
        eventKey: "reply:review-deleted",
        data: { title: topic.title, url: `/c/${slug}/t/${topic.id}`, actorName: helper.name, excerpt: "Try this" },
      });
      await drainJobs(env());
      const rows = (table: "notifications" | "emailDeliveries") =>
        env().deps.db.selectFrom(table).select("id").where("userId", "=", asker.id).execute();
      assert.deepEqual(await rows("notifications"), [], "no notification outlives the erasure");
      assert.deepEqual(await rows("emailDeliveries"), [], "no delivery keeps their address");
      assert.equal(smtp.received.length, received, "nothing is mailed");
    });
  },
  { smtpUrl: smtp.url },
);
