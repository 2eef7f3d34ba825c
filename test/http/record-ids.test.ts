import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, buildTopic, describeEachDatabase } from "../helpers.ts";
import { getPage } from "../web/web-helpers.ts";

// An id in an address is decimal digits: "0x10", "1e1" or "+16" used to be read as a number, so one
// topic had many API addresses and page addresses that redirected to it.
describeEachDatabase("record ids in addresses", (env) => {
  test("only the decimal spelling of an id reaches a record", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 1 } });
    const topic = await buildTopic(env(), slug, members.member[0]);
    assert.equal((await env().api.get(`/api/v1/topics/${topic.id}`)).status, 200);
    for (const spelling of [`0x${topic.id.toString(16)}`, `${topic.id}e0`, `+${topic.id}`, `${topic.id}.0`]) {
      const api = await env().api.get(`/api/v1/topics/${encodeURIComponent(spelling)}`);
      assert.ok(api.status === 404 || api.status === 422, `${spelling}: ${api.status}`);
      assert.equal(typeof api.body.error.code, "string", spelling);
      assert.equal((await getPage(env(), `/c/${slug}/t/${encodeURIComponent(spelling)}`)).status, 404, spelling);
    }
  });

  test("a query's id refuses non-decimal spellings with the field named", async () => {
    const { members } = await buildCommunity(env(), { members: { member: 1 } });
    for (const cursor of ["0x10", "1e1"]) {
      const listed = await env().api.get(`/api/v1/notifications?cursor=${cursor}`, members.member[0].auth);
      assert.equal(listed.status, 422, JSON.stringify(listed.body));
      assert.deepEqual(Object.keys(listed.body.error.fields ?? {}), ["cursor"]);
    }
    assert.equal((await env().api.get("/api/v1/notifications?cursor=16", members.member[0].auth)).status, 200);
  });

  test("a member's id in an admin's path is decimal digits too", async () => {
    const { slug, admin, members } = await buildCommunity(env(), { members: { member: 1 } });
    const member = members.member[0];
    const hex = `0x${member.id.toString(16)}`;
    const refused = await env().api.put(
      `/api/v1/communities/${slug}/members/${hex}`,
      { role: "moderator" },
      admin.auth,
    );
    assert.ok(refused.status === 404 || refused.status === 422, JSON.stringify(refused.body));
    const role = await env().api.put(
      `/api/v1/communities/${slug}/members/${member.id}`,
      { role: "moderator" },
      admin.auth,
    );
    assert.equal(role.status, 200, JSON.stringify(role.body));
  });
});
