import { test } from "node:test";
import assert from "node:assert/strict";
import { randomInt } from "node:crypto";
import sharp from "sharp";
import { buildCommunity, buildUser, describeEachDatabase, type TestEnv } from "../helpers.ts";
import { attachImage } from "../editor/support.ts";

/** A picture no other test uploads (its colour is random), so only this test's rows hold its key. */
async function uniquePicture() {
  const background = { r: randomInt(256), g: randomInt(256), b: randomInt(256) };
  const bytes = await sharp({ create: { width: 80, height: 60, channels: 3, background } })
    .png()
    .toBuffer();
  return { name: "screen.png", type: "image/png", bytes };
}

const fetchAs = (env: TestEnv, url: string, headers: Record<string, string> = {}) =>
  env.app.inject({ method: "GET", url, headers });

const UNKNOWN_HASH = "0".repeat(32);

/** The answer to a request, with the address it names made the unknown one's (and a token's per-request CSRF field). */
async function answerTo(env: TestEnv, url: string, headers: Record<string, string>) {
  const res = await fetchAs(env, url, headers);
  const body = res.body.replaceAll(/[a-f0-9]{32}/g, UNKNOWN_HASH).replaceAll(/name="_csrf" value="[^"]*"/g, "_csrf");
  return { status: res.statusCode, cacheControl: res.headers["cache-control"], vary: res.headers.vary, body };
}

describeEachDatabase("attached images of private communities", (env) => {
  test("only private communities hold it: anonymous visitors and outsiders get the 404 of an unknown key", async () => {
    const secret = await buildCommunity(env(), { visibility: "private", members: { member: 1 } });
    const image = await attachImage(env(), secret.slug, secret.members.member[0], await uniquePicture());
    const outsider = await buildUser(env());
    const { members } = await buildCommunity(env(), { members: { member: 1 } });
    const publicMember = members.member[0];
    for (const url of [image.url, image.thumbnailUrl])
      for (const [who, headers] of [
        ["anonymous", {}],
        ["an outsider's session", { cookie: outsider.cookie }],
        ["an outsider's token", { authorization: `Bearer ${outsider.auth.token}` }],
        ["a member of another community", { cookie: publicMember.cookie }],
      ] as const) {
        const unknown = await answerTo(env(), url.replace(/[a-f0-9]{32}/, UNKNOWN_HASH), headers);
        assert.equal(unknown.status, 404);
        assert.deepEqual(await answerTo(env(), url, headers), unknown, `${who}: ${url}`);
      }
  });

  test("its readers get it with a cache of their own, varying on the cookie and token", async () => {
    const secret = await buildCommunity(env(), { visibility: "private", members: { member: 1, staff: 1 } });
    const image = await attachImage(env(), secret.slug, secret.members.member[0], await uniquePicture());
    const platformAdmin = await buildUser(env(), { platformAdmin: true });
    for (const url of [image.url, image.thumbnailUrl])
      for (const [who, headers] of [
        ["the member's session", { cookie: secret.members.member[0].cookie }],
        ["the community's staff", { cookie: secret.members.staff[0].cookie }],
        ["the community's admin, by token", { authorization: `Bearer ${secret.admin.auth.token}` }],
        ["a platform admin", { cookie: platformAdmin.cookie }],
      ] as const) {
        const res = await fetchAs(env(), url, headers);
        assert.equal(res.statusCode, 200, `${who}: ${url}`);
        assert.equal(res.headers["content-type"], "image/webp");
        assert.equal(res.headers["cache-control"], "private, max-age=3600", who);
        assert.equal(res.headers.vary, "Cookie, Authorization", who);
      }
  });

  test("uploaded in a public community too, the picture is public for anyone", async () => {
    const picture = await uniquePicture();
    const secret = await buildCommunity(env(), { visibility: "private", members: { member: 1 } });
    const image = await attachImage(env(), secret.slug, secret.members.member[0], picture);
    assert.equal((await fetchAs(env(), image.url)).statusCode, 404, "private only: not for anonymous visitors");
    const open = await buildCommunity(env(), { members: { member: 1 } });
    const again = await attachImage(env(), open.slug, open.members.member[0], picture);
    assert.equal(again.url, image.url, "one picture, one key");
    const outsider = await buildUser(env());
    const anyone: Record<string, string>[] = [
      {},
      { cookie: outsider.cookie },
      { cookie: secret.members.member[0].cookie },
    ];
    for (const url of [image.url, image.thumbnailUrl])
      for (const headers of anyone) {
        const res = await fetchAs(env(), url, headers);
        assert.equal(res.statusCode, 200, url);
        assert.equal(res.headers["cache-control"], "public, max-age=31536000, immutable");
        assert.equal(res.headers.vary, undefined, "the same answer for everyone: one shared copy");
      }
  });

  test("a file under attachments/ that no row holds is not served, even from a public community's upload", async () => {
    const open = await buildCommunity(env(), { members: { member: 1 } });
    const image = await attachImage(env(), open.slug, open.members.member[0], await uniquePicture());
    await env().deps.db.deleteFrom("attachments").where("communityId", "=", open.community.id).execute();
    for (const url of [image.url, image.thumbnailUrl]) assert.equal((await fetchAs(env(), url)).statusCode, 404, url);
  });
});
