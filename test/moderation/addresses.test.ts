import { test } from "node:test";
import assert from "node:assert/strict";
import { addMember, buildCommunity, buildReply, buildTopic, describeEachDatabase } from "../helpers.ts";
import { browse } from "../web/web-helpers.ts";

describeEachDatabase("moderation forms and addresses", (env) => {
  test("a topic's or post's moderation forms under another community's address are not found (404)", async () => {
    const here = await buildCommunity(env(), { members: { member: 2, moderator: 1 } });
    const other = await buildCommunity(env(), { members: { member: 1 } });
    const [asker, helper] = here.members.member;
    const moderator = here.members.moderator[0];
    // A moderator in both communities: the other one's address is still not where the topic lives.
    await addMember(env(), other.community.id, moderator.id, "moderator");
    const topic = await buildTopic(env(), here.slug, asker);
    const reply = await buildReply(env(), topic.id, helper);
    const mod = await browse(env(), moderator);
    const t = `/c/${other.slug}/t/${topic.id}`;
    assert.equal((await mod.get(`${t}/moderate`)).status, 404);
    const posts: [string, Record<string, string>][] = [
      [`${t}/lock`, {}],
      [`${t}/move`, { categoryId: "" }],
      [`/c/${other.slug}/posts/reply/${reply.id}/hide`, { reason: "Off topic" }],
      [`/c/${other.slug}/posts/topic/${topic.id}/flag`, { reason: "spam" }],
    ];
    for (const [url, fields] of posts) assert.equal((await mod.submit(url, fields)).status, 404, url);
    const after = (await env().api.get(`/api/v1/topics/${topic.id}`, asker.auth)).body;
    assert.equal(after.topic.locked, false, "not locked");
    assert.equal(after.replies.length, 1, "the reply is not hidden");
    const flags = await env().deps.db.selectFrom("postFlags").select("id").execute();
    assert.deepEqual(flags, [], "no flag recorded");

    // The right address still works.
    assert.equal((await mod.get(`/c/${here.slug}/t/${topic.id}/moderate`)).status, 200);
    assert.equal((await mod.submit(`/c/${here.slug}/t/${topic.id}/lock`, {})).status, 303);
  });
});
