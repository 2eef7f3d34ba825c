import { test } from "node:test";
import assert from "node:assert/strict";
import { buildTopic } from "../helpers.ts";
import { describeMarket, jobBody, market, passCourse, wifiCourse } from "../marketplace/support.ts";

describeMarket("a data export holds what the member gave in every domain", (env) => {
  test("job requests, single sign-on identities, rewards, courses and flags are in the member's export", async () => {
    const { slug, community, admin, customer, other, service, helper } = await market(env());
    const db = env().deps.db;
    const job = jobBody(env(), service.id);
    const requested = await env().api.post(`/api/v1/communities/${slug}/job-requests`, job, customer.auth);
    assert.equal(requested.status, 201, JSON.stringify(requested.body));
    const course = await wifiCourse(env(), slug, admin);
    await passCourse(env(), course, customer);
    const topic = await buildTopic(env(), slug, other);
    const flagged = await env().api.post(
      `/api/v1/posts/topic/${topic.id}/flags`,
      { reason: "other", text: "Looks like an ad" },
      customer.auth,
    );
    assert.equal(flagged.status, 201, JSON.stringify(flagged.body));
    const now = env().clock.now();
    await db
      .insertInto("userIdentities")
      .values({
        provider: "acme",
        subject: "sub-123",
        userId: customer.id,
        email: customer.email,
        claims: JSON.stringify({ sub: "sub-123", customer_number: "CN-4711" }),
        createdAt: now,
        lastLoginAt: now,
      })
      .execute();
    const reward = await db
      .insertInto("rewards")
      .values({
        communityId: community.id,
        name: "Mug",
        description: "",
        price: 10,
        stock: null,
        active: 1,
        createdAt: now,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await db
      .insertInto("rewardRedemptions")
      .values({
        rewardId: reward.id,
        communityId: community.id,
        userId: customer.id,
        price: 10,
        status: "pending",
        idempotencyKey: null,
        note: "",
        createdAt: now,
        decidedAt: null,
        decidedBy: null,
      })
      .execute();

    const exported = async (user: typeof customer) => {
      const res = await env().api.get("/api/v1/me/export", user.auth);
      assert.equal(res.status, 200);
      return res.body;
    };
    const mine = await exported(customer);
    assert.deepEqual(
      mine.jobRequests.map((r: { address: string; phone: string }) => [r.address, r.phone]),
      [[job.address, job.phone]],
      "the job request with the address and phone they typed",
    );
    assert.deepEqual(
      mine.singleSignOn.map((i: { provider: string; claims: { customer_number: string } }) => [
        i.provider,
        i.claims.customer_number,
      ]),
      [["acme", "CN-4711"]],
    );
    assert.equal(mine.rewardRedemptions.length, 1);
    assert.equal(mine.courses.attempts.length, 1);
    assert.equal(mine.courses.attempts[0].courseId, course.id);
    assert.equal(mine.flags.posts[0].text, "Looks like an ad");

    const theirs = await exported(helper);
    assert.deepEqual(theirs.jobRequests, [], "another member's job request is not in the helper's export");
    assert.deepEqual(theirs.singleSignOn, []);
    assert.deepEqual(theirs.flags.posts, []);
  });
});
