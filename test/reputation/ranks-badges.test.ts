import { test } from "node:test";
import assert from "node:assert/strict";
import {
  buildCommunity,
  buildReply,
  buildTopic,
  buildUser,
  describeEachDatabase,
  type TestEnv,
  type TestUser,
} from "../helpers.ts";
import { drainJobs } from "../notifications/support.ts";
import { getPage } from "../web/web-helpers.ts";
import { DAY, patchSettings, setKudos } from "./support.ts";

async function badgesOf(env: TestEnv, slug: string, userId: number): Promise<Record<string, number>> {
  const res = await env.api.get(`/api/v1/communities/${slug}/members/${userId}/profile`);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return Object.fromEntries(res.body.profile.badges.map((b: { badge: string; count: number }) => [b.badge, b.count]));
}

describeEachDatabase("ranks and badges", (env) => {
  test("ranks by kudos appear next to names in the topic list, on the topic page and on profiles", async () => {
    const { community, slug, members } = await buildCommunity(env(), { members: { member: 2 } });
    const [asker, helper] = members.member;
    const topic = await buildTopic(env(), slug, asker);
    await buildReply(env(), topic.id, helper);
    await setKudos(env(), community.id, helper.id, 600);
    await setKudos(env(), community.id, asker.id, 60);
    const list = await env().api.get(`/api/v1/communities/${slug}/topics`);
    assert.deepEqual(list.body.topics[0].author.rank, { level: 1, name: "Helper" });
    const page = await env().api.get(`/api/v1/topics/${topic.id}`);
    assert.deepEqual(page.body.topic.author.rank, { level: 1, name: "Helper" });
    assert.deepEqual(page.body.replies[0].author.rank, { level: 2, name: "Expert" });
    assert.equal(page.body.replies[0].author.champion, false);
    const profile = await env().api.get(`/api/v1/communities/${slug}/members/${helper.id}/profile`);
    assert.deepEqual(profile.body.profile.rank, { level: 2, name: "Expert" });
    assert.equal(profile.body.profile.kudos, 600);
    const html = (await getPage(env(), topic.url)).body;
    assert.match(
      html,
      new RegExp(
        `href="/c/${slug}/u/${helper.id}">(?:<span class="face[^"]*"[^>]*>[^<]*</span>)?${helper.name}</a> ` +
          `<span class="rank rank-2"[^>]*>Expert</span>`,
      ),
    );
    const german = (await getPage(env(), `/c/${slug}`, null, { "accept-language": "de" })).body;
    assert.match(german, /<span class="rank rank-1"[^>]*>Helfer<\/span>/, "default rank names are translated");
  });

  test("a community's own ranks replace the defaults", async () => {
    const { community, slug, admin, members } = await buildCommunity(env(), { members: { member: 1 } });
    const member = members.member[0];
    await patchSettings(env(), slug, admin, "reputation", {
      ranks: [
        { name: "Rookie", minKudos: 0 },
        { name: "Guru", minKudos: 30 },
      ],
    });
    await buildTopic(env(), slug, member);
    await setKudos(env(), community.id, member.id, 31);
    const list = await env().api.get(`/api/v1/communities/${slug}/topics`);
    assert.deepEqual(list.body.topics[0].author.rank, { level: 1, name: "Guru" });
    assert.match(
      (await getPage(env(), `/c/${slug}`, null, { "accept-language": "de" })).body,
      />Guru<\/span>/,
      "custom names are shown as written",
    );
  });

  test("badges are awarded by the job queue, once, and repeatable ones per answer", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 2 } });
    const [asker, helper] = members.member;
    const topic = await buildTopic(env(), slug, asker);
    const reply = await buildReply(env(), topic.id, helper);
    assert.deepEqual(await badgesOf(env(), slug, helper.id), {}, "nothing on the request path");
    await drainJobs(env());
    assert.deepEqual(await badgesOf(env(), slug, helper.id), { first_answer: 1 });
    assert.deepEqual(await badgesOf(env(), slug, asker.id), { first_question: 1 });
    await buildReply(env(), topic.id, helper, "Another answer.");
    await drainJobs(env());
    assert.deepEqual(await badgesOf(env(), slug, helper.id), { first_answer: 1 }, "awarded once");
    await env().api.post(`/api/v1/topics/${topic.id}/accept`, { replyId: reply.id }, asker.auth);
    await drainJobs(env());
    assert.deepEqual(await badgesOf(env(), slug, helper.id), { first_answer: 1, first_accepted: 1 });
    const voters: TestUser[] = [];
    for (let i = 0; i < 10; i++) voters.push(await buildUser(env()));
    const second = await buildReply(env(), topic.id, helper, "A third, great answer.");
    for (const voter of voters) {
      await env().api.put(`/api/v1/replies/${reply.id}/vote`, { value: 1 }, voter.auth);
      await env().api.put(`/api/v1/replies/${second.id}/vote`, { value: 1 }, voter.auth);
    }
    await drainJobs(env());
    await drainJobs(env());
    assert.equal(
      (await badgesOf(env(), slug, helper.id)).great_answer,
      2,
      "one great_answer per answer with 10 upvotes",
    );
  });

  test("ten accepted answers, a 30-day streak and the champion badge", async () => {
    const { slug, admin, members } = await buildCommunity(env(), { members: { member: 2 } });
    const [asker, helper] = members.member;
    for (let day = 0; day < 30; day++) {
      const topic = await buildTopic(env(), slug, asker, { title: `Question of day ${day}` });
      const reply = await buildReply(env(), topic.id, helper, `Answer of day ${day}`);
      if (day < 10) await env().api.post(`/api/v1/topics/${topic.id}/accept`, { replyId: reply.id }, asker.auth);
      if (day === 28) {
        await drainJobs(env());
        const before = await badgesOf(env(), slug, helper.id);
        assert.equal(before.streak_30, undefined, "29 days are not a 30-day streak");
        assert.equal(before.ten_accepted, 1);
      }
      env().clock.advance(DAY);
    }
    await drainJobs(env());
    const badges = await badgesOf(env(), slug, helper.id);
    assert.equal(badges.streak_30, 1);
    assert.equal(badges.ten_accepted, 1);
    assert.equal(
      (await env().api.put(`/api/v1/communities/${slug}/members/${helper.id}/champion`, { champion: true }, admin.auth))
        .status,
      200,
    );
    await drainJobs(env());
    assert.equal((await badgesOf(env(), slug, helper.id)).champion, 1);
    const catalog = await env().api.get(`/api/v1/communities/${slug}/badges`);
    assert.deepEqual(
      catalog.body.badges.map((b: { key: string }) => b.key),
      ["first_question", "first_answer", "first_accepted", "ten_accepted", "great_answer", "streak_30", "champion"],
    );
  });
});
