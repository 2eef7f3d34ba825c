import { test } from "node:test";
import assert from "node:assert/strict";
import {
  buildCommunity,
  buildReply,
  buildTopic,
  buildUser,
  describeEachDatabase,
  TEST_PASSWORD,
  type TestEnv,
  type TestUser,
} from "../helpers.ts";
import { getPage } from "../web/web-helpers.ts";
import { DAY } from "./support.ts";

async function upvoteBy(env: TestEnv, replyId: number, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    const voter = await buildUser(env);
    assert.equal((await env.api.put(`/api/v1/replies/${replyId}/vote`, { value: 1 }, voter.auth)).status, 200);
  }
}

const leaders = async (env: TestEnv, slug: string, query = "") =>
  (await env.api.get(`/api/v1/communities/${slug}/leaderboard${query}`)).body.leaders.map(
    (l: { member: { name: string }; kudos: number }) => [l.member.name, l.kudos],
  );

describeEachDatabase("profiles, leaderboards and champions", (env) => {
  test("a profile shows rank, kudos, badges, accepted answers, top tags and recent activity; the balance only to its member and staff", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 3, staff: 1 } });
    const [asker, helper, other] = members.member;
    const topic = await buildTopic(env(), slug, asker, { tags: ["wifi", "router"] });
    const reply = await buildReply(env(), topic.id, helper);
    await env().api.post(`/api/v1/topics/${topic.id}/accept`, { replyId: reply.id }, asker.auth);
    const url = `/api/v1/communities/${slug}/members/${helper.id}/profile`;
    const seen = (await env().api.get(url, other.auth)).body.profile;
    assert.equal(seen.kudos, 15);
    assert.deepEqual(seen.rank, { level: 0, name: "Newcomer" });
    assert.equal(seen.acceptedAnswers, 1);
    assert.deepEqual(seen.topTags, [
      { tag: "router", count: 1 },
      { tag: "wifi", count: 1 },
    ]);
    assert.deepEqual(
      seen.recentActivity.map((a: { type: string; topicId: number }) => [a.type, a.topicId]),
      [["reply", topic.id]],
    );
    assert.equal(seen.balance, undefined, "another member does not see the balance");
    assert.equal((await env().api.get(url, helper.auth)).body.profile.balance, 15);
    assert.equal((await env().api.get(url, members.staff[0].auth)).body.profile.balance, 15);
    const outsider = await buildUser(env());
    assert.equal(
      (await env().api.get(`/api/v1/communities/${slug}/members/${outsider.id}/profile`)).status,
      404,
      "not a member here",
    );
    const page = await getPage(env(), `/c/${slug}/u/${helper.id}`);
    assert.equal(page.status, 200);
    assert.match(page.body, new RegExp(`<h1>${helper.name} <span class="rank rank-0"`));
    assert.match(page.body, /Accepted answers/);
  });

  test("leaderboards for the week, the month and all time, per community and per tag", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 3 } });
    const [asker, ann, ben] = members.member;
    const old = await buildTopic(env(), slug, asker, { title: "An older question about TV", tags: ["tv"] });
    await upvoteBy(env(), (await buildReply(env(), old.id, ann, "Old answer")).id, 3);
    env().clock.advance(21 * DAY);
    const recent = await buildTopic(env(), slug, asker, { title: "A recent question about wifi", tags: ["wifi"] });
    await upvoteBy(env(), (await buildReply(env(), recent.id, ben, "Recent answer")).id, 2);
    env().clock.advance(10 * DAY);
    const today = await buildTopic(env(), slug, asker, { title: "Today's question about wifi", tags: ["wifi"] });
    await upvoteBy(env(), (await buildReply(env(), today.id, ann, "Today's answer")).id, 1);
    assert.deepEqual(await leaders(env(), slug), [
      [ann.name, 40],
      [ben.name, 20],
    ]);
    assert.deepEqual(await leaders(env(), slug, "?period=all"), [
      [ann.name, 40],
      [ben.name, 20],
    ]);
    assert.deepEqual(await leaders(env(), slug, "?period=month"), [
      [ben.name, 20],
      [ann.name, 10],
    ]);
    assert.deepEqual(await leaders(env(), slug, "?period=week"), [[ann.name, 10]]);
    assert.deepEqual(await leaders(env(), slug, "?tag=tv"), [[ann.name, 30]]);
    assert.deepEqual(await leaders(env(), slug, "?period=month&tag=wifi"), [
      [ben.name, 20],
      [ann.name, 10],
    ]);
    assert.equal((await env().api.get(`/api/v1/communities/${slug}/leaderboard?period=year`)).status, 422);
    const html = (await getPage(env(), `/c/${slug}/leaderboard?period=month`)).body;
    assert.match(html, /<a href="\/c\/[^"]+\/leaderboard\?period=month" aria-current="page">This month<\/a>/);
  });

  test("a tag's leaderboard counts only topics the viewer may read: a private topic's tags stay private", async () => {
    const { slug, admin, members } = await buildCommunity(env(), { members: { member: 1, staff: 1 } });
    const [asker] = members.member;
    const [agent] = members.staff;
    const billing = await env().api.post(
      `/api/v1/communities/${slug}/categories`,
      { name: "Billing", scope: "private" },
      admin.auth,
    );
    assert.equal(billing.status, 201, JSON.stringify(billing.body));
    const topic = await buildTopic(env(), slug, asker, {
      title: "Why was I charged twice this month?",
      categoryId: billing.body.category.id,
      tags: ["refund"],
    });
    const reply = await buildReply(env(), topic.id, agent, "We refunded the second charge.");
    const accepted = await env().api.post(`/api/v1/topics/${topic.id}/accept`, { replyId: reply.id }, asker.auth);
    assert.equal(accepted.status, 200, JSON.stringify(accepted.body));
    const staffBoard = async (auth?: TestUser["auth"]) =>
      (await env().api.get(`/api/v1/communities/${slug}/leaderboard?tag=refund`, auth)).body.staff.map(
        (l: { member: { name: string } }) => l.member.name,
      );
    assert.deepEqual(await staffBoard(agent.auth), [agent.name], "staff read the billing question");
    assert.deepEqual(await staffBoard(), [], "the public does not learn a private question's tag");
    const outsider = await buildUser(env());
    assert.deepEqual(await staffBoard(outsider.auth), []);
  });

  test("banned members and deleted accounts leave the leaderboard, as they leave the champions", async () => {
    const { slug, admin, members } = await buildCommunity(env(), { members: { member: 4 } });
    const [asker, ann, ben, cy] = members.member;
    const topic = await buildTopic(env(), slug, asker, { title: "Which cable for the TV box?", tags: ["tv"] });
    for (const [helper, votes] of [
      [ann, 1],
      [ben, 3],
      [cy, 2],
    ] as const)
      await upvoteBy(env(), (await buildReply(env(), topic.id, helper, `Answer by ${helper.name}`)).id, votes);
    const ban = await env().api.put(
      `/api/v1/communities/${slug}/members/${ben.id}/ban`,
      { reason: "Spam" },
      admin.auth,
    );
    assert.equal(ban.status, 200);
    const gone = await env().api.request("DELETE", "/api/v1/me", { password: TEST_PASSWORD }, cy.auth);
    assert.equal(gone.status, 204);
    for (const query of ["", "?period=week", "?tag=tv"])
      assert.deepEqual(await leaders(env(), slug, query), [[ann.name, 10]], query || "all time");
  });

  test("staff are listed apart on the leaderboard, and their posts say Staff instead of a rank", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 2, staff: 1 } });
    const [asker, ann] = members.member;
    const [agent] = members.staff;
    const topic = await buildTopic(env(), slug, asker, { title: "Which router settings for fibre?" });
    const official = await buildReply(env(), topic.id, agent, "Use the fibre profile.");
    await upvoteBy(env(), official.id, 3);
    await upvoteBy(env(), (await buildReply(env(), topic.id, ann, "Works for me too.")).id, 1);
    for (const query of ["", "?period=week", "?tag=none"]) {
      const board = (await env().api.get(`/api/v1/communities/${slug}/leaderboard${query}`)).body;
      assert.deepEqual(
        board.leaders.map((l: { member: { name: string } }) => l.member.name),
        query === "?tag=none" ? [] : [ann.name],
        `members only ${query}`,
      );
      assert.deepEqual(
        board.staff.map((l: { member: { name: string } }) => l.member.name),
        query === "?tag=none" ? [] : [agent.name],
        `staff apart ${query}`,
      );
    }
    await env().deps.db.updateTable("users").set({ avatarKey: "avatars/ann" }).where("id", "=", ann.id).execute();
    const page = (await getPage(env(), `/c/${slug}/leaderboard`)).body;
    assert.match(page, /<h2 id="staff-leaders">Staff<\/h2>/);
    assert.match(page, /src="\/uploads\/avatars\/ann-\d+\.webp"/, "the leaderboard shows uploaded avatars");
    const api = (await env().api.get(`/api/v1/topics/${topic.id}`)).body;
    const byName = (name: string) => api.replies.find((r: { author: { name: string } }) => r.author.name === name);
    assert.equal(byName(agent.name).author.staff, true);
    assert.equal(byName(ann.name).author.staff, false);
    const html = (await getPage(env(), api.topic.url)).body;
    assert.match(html, new RegExp(`>${agent.name}</a> <span class="rank staff-mark">Staff</span>`));
    assert.match(html, new RegExp(`>${ann.name}</a> <span class="rank rank-0"`), "members keep their rank");
  });

  test("a private community's profiles and leaderboard are not found for outsiders", async () => {
    const { slug, members } = await buildCommunity(env(), { visibility: "private", members: { member: 1 } });
    const outsider = await buildUser(env());
    assert.equal((await env().api.get(`/api/v1/communities/${slug}/leaderboard`, outsider.auth)).status, 404);
    assert.equal(
      (await env().api.get(`/api/v1/communities/${slug}/members/${members.member[0].id}/profile`, outsider.auth))
        .status,
      404,
    );
  });

  test("staff enrol champions: badge, highlighted replies, extra privileges; members cannot enrol", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 3, staff: 1 } });
    const [asker, champ, member] = members.member;
    const staff = members.staff[0];
    const enrol = (who: TestUser, champion: boolean) =>
      env().api.put(`/api/v1/communities/${slug}/members/${champ.id}/champion`, { champion }, who.auth);
    assert.equal((await enrol(member, true)).status, 403);
    assert.equal((await enrol(staff, true)).status, 200);
    const topic = await buildTopic(env(), slug, asker);
    const reply = await buildReply(env(), topic.id, champ, "See [the guide](https://example.com/guide).");
    const page = await env().api.get(`/api/v1/topics/${topic.id}`);
    assert.equal(page.body.replies[0].author.champion, true, "champions may post links without kudos");
    assert.match(
      (await getPage(env(), topic.url)).body,
      new RegExp(`class="post reply champion" id="reply-${reply.id}"`),
    );
    assert.equal(
      (await env().api.patch(`/api/v1/topics/${topic.id}`, { body: "Edited by a champion" }, champ.auth)).status,
      200,
      "champions edit others' posts",
    );
    assert.deepEqual(
      (await env().api.get(`/api/v1/communities/${slug}/champions`)).body.champions.map((c: { id: number }) => c.id),
      [champ.id],
    );
    assert.equal((await enrol(staff, false)).status, 200);
    assert.equal(
      (await env().api.patch(`/api/v1/topics/${topic.id}`, { body: "Edited again" }, champ.auth)).status,
      403,
    );
  });

  test("a champions-only category is seen and used only by champions and staff", async () => {
    const { slug, admin, categories, members } = await buildCommunity(env(), {
      categories: ["General", "Champions lounge"],
      members: { member: 2, staff: 1 },
    });
    const [champ, member] = members.member;
    const lounge = categories[1];
    assert.equal(
      (
        await env().api.put(
          `/api/v1/communities/${slug}/categories/${lounge.id}/champions-only`,
          { championsOnly: true },
          members.staff[0].auth,
        )
      ).status,
      403,
      "admins configure categories",
    );
    assert.equal(
      (
        await env().api.put(
          `/api/v1/communities/${slug}/categories/${lounge.id}/champions-only`,
          { championsOnly: true },
          admin.auth,
        )
      ).status,
      200,
    );
    await env().api.put(`/api/v1/communities/${slug}/members/${champ.id}/champion`, { champion: true }, admin.auth);
    const secret = await buildTopic(env(), slug, champ, {
      title: "Beta firmware notes for champions",
      categoryId: lounge.id,
    });
    const refused = await env().api.post(
      `/api/v1/communities/${slug}/topics`,
      { kind: "question", title: "Trying to post in the lounge", body: "x", categoryId: lounge.id },
      member.auth,
    );
    assert.equal(refused.status, 422, "the category does not exist for a member");
    const titles = async (user: TestUser | null) =>
      (await env().api.get(`/api/v1/communities/${slug}/topics`, user?.auth ?? null)).body.topics.map(
        (t: { title: string }) => t.title,
      );
    assert.deepEqual(await titles(member), []);
    assert.deepEqual(await titles(null), []);
    assert.deepEqual(await titles(champ), [secret.title]);
    assert.deepEqual(await titles(members.staff[0]), [secret.title]);
    assert.equal((await env().api.get(`/api/v1/topics/${secret.id}`, member.auth)).status, 404);
    assert.equal(
      (await env().api.post(`/api/v1/topics/${secret.id}/replies`, { body: "sneaking in" }, member.auth)).status,
      404,
    );
    assert.equal((await env().api.get(`/api/v1/topics/${secret.id}`, champ.auth)).status, 200);
    // Not even the category's name shows to others: category list, community, new-topic form.
    const names = async (user: TestUser | null) =>
      (await env().api.get(`/api/v1/communities/${slug}/categories`, user?.auth ?? null)).body.categories.map(
        (c: { name: string }) => c.name,
      );
    assert.deepEqual(await names(member), ["General"]);
    assert.deepEqual(await names(null), ["General"]);
    assert.deepEqual(await names(champ), ["General", "Champions lounge"]);
    assert.deepEqual(await names(members.staff[0]), ["General", "Champions lounge"]);
    const community = await env().api.get(`/api/v1/communities/${slug}`, member.auth);
    assert.equal(JSON.stringify(community.body).includes("Champions lounge"), false);
    const form = await env().app.inject({ url: `/c/${slug}/new`, headers: { cookie: member.cookie } });
    assert.equal(form.statusCode, 200);
    assert.equal(form.body.includes("Champions lounge"), false);
    const champForm = await env().app.inject({ url: `/c/${slug}/new`, headers: { cookie: champ.cookie } });
    assert.equal(champForm.body.includes("Champions lounge"), true);
  });
});
