import assert from "node:assert/strict";
import { test } from "node:test";
import { buildCommunity, describeEachDatabase } from "../helpers.ts";
import { browse } from "../web/web-helpers.ts";

/** The members a page of the list shows (each row's role form), in order. */
const memberIds = (body: string) =>
  [...body.matchAll(/<form method="post" action="\/c\/[^/]+\/members\/(\d+)"/g)].map((m) => Number(m[1]));

/** The hidden fields of a member's role form, as the browser posts them back. */
function roleFormFields(body: string, userId: number): Record<string, string> {
  const form = new RegExp(`<form method="post" action="/c/[^/]+/members/${userId}"[^>]*>([\\s\\S]*?)</form>`).exec(
    body,
  );
  assert.ok(form, `a role form for member ${userId}`);
  return Object.fromEntries(
    [...form[1].matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)].map((m) => [m[1], m[2]]),
  );
}

describeEachDatabase("a role changed past the member list's first page", (env) => {
  test("goes back to the page the form was on, saved or refused", async () => {
    const { slug, admin } = await buildCommunity(env(), { members: { member: 5 } });
    const browser = await browse(env(), admin);
    const pageUrl = `/c/${slug}/members?limit=2&offset=2`;
    const before = await browser.get(pageUrl);
    const shown = memberIds(before.body);
    assert.equal(shown.length, 2);
    const [target] = shown;

    const saved = await browser.submit(`/c/${slug}/members/${target}`, {
      ...roleFormFields(before.body, target),
      role: "staff",
    });
    assert.equal(saved.status, 303, saved.body);
    const location = String(saved.headers.location);
    assert.ok(location.endsWith(`#role-${target}`), location);
    const after = await browser.get(location.split("#")[0]);
    assert.deepEqual(memberIds(after.body), shown, "the same page of the list, with the member changed");

    const refused = await browser.submit(`/c/${slug}/members/${target}`, {
      ...roleFormFields(before.body, target),
      role: "emperor",
    });
    assert.equal(refused.status, 422);
    assert.deepEqual(memberIds(refused.body), shown, "the refusal above the same page");
  });

  test("a page the form says nothing or nonsense about is the first", async () => {
    const { slug, admin, members } = await buildCommunity(env(), { members: { member: 1 } });
    const browser = await browse(env(), admin);
    const saved = await browser.submit(`/c/${slug}/members/${members.member[0].id}`, {
      role: "moderator",
      offset: "-3",
    });
    assert.equal(saved.status, 303, saved.body);
    assert.equal(saved.headers.location, `/c/${slug}/members?offset=0#role-${members.member[0].id}`);
  });
});
