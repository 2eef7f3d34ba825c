import { test } from "node:test";
import assert from "node:assert/strict";
import { addMember, buildCommunity, buildReply, buildTopic, buildUser, describeEachDatabase } from "../helpers.ts";
import { getPage } from "./web-helpers.ts";

describeEachDatabase("mention links", (env) => {
  test("@mentions of the community's members link to their profiles; outsiders, unknown names and code do not", async () => {
    const { slug, community, members, admin } = await buildCommunity(env(), { members: { member: 1 } });
    const [asker] = members.member;
    const grace = await buildUser(env(), { name: "Grace Hopper" });
    await addMember(env(), community.id, grace.id, "member");
    const outsider = await buildUser(env(), { name: "Ada Lovelace" });
    const topic = await buildTopic(env(), slug, asker, {
      body: "Maybe @GraceHopper knows? Or @AdaLovelace, or @nobodyatall. Not `@GraceHopper` in code.",
    });
    await buildReply(env(), topic.id, admin, `Pinging @${grace.handle}. [@${grace.handle}](https://example.com)`);

    let page = await getPage(env(), `/c/${slug}/t/${topic.id}`);
    if (page.status === 301) page = await getPage(env(), String(page.headers.location));
    assert.equal(page.status, 200);
    const profile = `<a class="mention" href="/c/${slug}/u/${grace.id}">`;
    assert.ok(page.body.includes(`${profile}@GraceHopper</a> knows?`), "the topic's mention, as written");
    assert.ok(page.body.includes(`Pinging ${profile}@${grace.handle}</a>.`), "the reply's, the full stop outside");
    assert.equal(page.body.split(profile).length - 1, 2, "code and an existing link stay as they are");
    assert.ok(page.body.includes("<code>@GraceHopper</code>"));
    assert.ok(page.body.includes("Or @AdaLovelace, or @nobodyatall."), `${outsider.handle} is not a member`);

    const api = await env().api.get(`/api/v1/topics/${topic.id}`);
    assert.ok(JSON.stringify(api.body).includes(`/c/${slug}/u/${grace.id}`), "the API's bodyHtml is the page's");
  });
});
