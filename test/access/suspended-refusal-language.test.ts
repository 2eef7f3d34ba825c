import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, buildTopic, describeEachDatabase, type TestUser } from "../helpers.ts";
import { browse, postForm } from "../web/web-helpers.ts";

/**
 * A suspended member is refused every attempt to take part with the end and the reason of their
 * suspension, in their language on pages. Before, the refusal (`assertNotSuspended`,
 * `requirePrivilege`) carried only an English message: a German reader's vote or flag got a bare
 * 403 page without either; the API keeps its English message.
 */
describeEachDatabase("a suspended member's refusal names the end and the reason in their language", (env) => {
  const german = { "accept-language": "de" };
  const germanRefusal = /Du bist in dieser Community bis 2026-01-04 12:00 UTC gesperrt\. Grund: Cooling off/;

  const suspendedVoter = async () => {
    const { slug, admin, members } = await buildCommunity(env(), { members: { member: 2 } });
    const [author, member] = members.member;
    const topic = await buildTopic(env(), slug, author, { title: "Router blinks red after update" });
    const suspension = { days: 3, reason: "Cooling off" };
    const url = `/api/v1/communities/${slug}/members/${member.id}/suspension`;
    assert.equal((await env().api.put(url, suspension, admin.auth)).status, 200);
    return { slug, topic, member };
  };
  const send = async (member: TestUser, path: string, fields: Record<string, string>) => {
    const { csrf } = await browse(env(), member);
    return postForm(env(), path, { _csrf: csrf, ...fields }, member.cookie, german);
  };

  test("a vote on the topic page, in German; the API's message stays English", async () => {
    const { slug, topic, member } = await suspendedVoter();
    const page = await send(member, `/c/${slug}/t/${topic.id}/vote`, { value: "1" });
    assert.equal(page.status, 403);
    assert.match(page.body, germanRefusal);
    const api = await env().api.put(`/api/v1/topics/${topic.id}/vote`, { value: 1 }, member.auth);
    assert.equal(api.status, 403);
    assert.equal(
      api.body.error.message,
      "You are suspended from this community until 2026-01-04 12:00 UTC. Reason: Cooling off",
    );
  });

  test("a flag from the flag form, in German", async () => {
    const { slug, topic, member } = await suspendedVoter();
    const page = await send(member, `/c/${slug}/posts/topic/${topic.id}/flag`, { reason: "spam", text: "" });
    assert.equal(page.status, 403);
    assert.match(page.body, germanRefusal);
  });

  test("an edit of the member's own topic: the edit form writes the end in the reader's language", async () => {
    const { slug, admin, members } = await buildCommunity(env(), { members: { member: 1 } });
    const [member] = members.member;
    const topic = await buildTopic(env(), slug, member, { title: "Router blinks red after update" });
    const url = `/api/v1/communities/${slug}/members/${member.id}/suspension`;
    assert.equal((await env().api.put(url, { days: 3, reason: "Cooling off" }, admin.auth)).status, 200);

    const page = await send(member, `/c/${slug}/t/${topic.id}/edit`, { title: "Neuer Titel", body: "Neuer Text" });
    assert.equal(page.status, 403);
    assert.match(page.body, /Du bist in dieser Community bis [^<]+ gesperrt\. Grund: Cooling off/);
    assert.doesNotMatch(page.body, germanRefusal, "not the API's UTC time: the page's own date");
  });
});
