import { test } from "node:test";
import assert from "node:assert/strict";
import { addMember, buildCommunity, describeEachDatabase } from "../helpers.ts";
import { attachImage, colouredJpeg } from "../editor/support.ts";

/** A member's copy of their data names every image they attached, in every community. */

describeEachDatabase("the data export's uploads", (env) => {
  test("each image the member attached: its addresses, community, size and time; no one else's", async () => {
    const first = await buildCommunity(env(), { members: { member: 2 } });
    const second = await buildCommunity(env(), { visibility: "private" });
    const [member, other] = first.members.member;
    await addMember(env(), second.community.id, member.id, "member");
    const early = env().clock.now();
    const inFirst = await attachImage(env(), first.slug, member, await colouredJpeg({ r: 200, g: 9, b: 9 }));
    env().clock.advance(60_000);
    const inSecond = await attachImage(env(), second.slug, member, await colouredJpeg({ r: 100, g: 9, b: 9 }));
    await attachImage(env(), first.slug, other, await colouredJpeg({ r: 50, g: 9, b: 9 }));

    const res = await env().api.get("/api/v1/me/export", member.auth);
    assert.equal(res.status, 200);
    const bytes = await env()
      .deps.db.selectFrom("attachments")
      .select("bytes")
      .where("ownerId", "=", member.id)
      .orderBy("id")
      .execute();
    assert.deepEqual(res.body.uploads, [
      {
        url: inFirst.url,
        thumbnailUrl: inFirst.thumbnailUrl,
        community: first.slug,
        width: inFirst.width,
        height: inFirst.height,
        bytes: bytes[0].bytes,
        createdAt: new Date(early).toISOString(),
      },
      {
        url: inSecond.url,
        thumbnailUrl: inSecond.thumbnailUrl,
        community: second.slug,
        width: inSecond.width,
        height: inSecond.height,
        bytes: bytes[1].bytes,
        createdAt: new Date(early + 60_000).toISOString(),
      },
    ]);
    // The fields the export had stay as they were.
    assert.ok(res.body.profile && res.body.posts && res.body.apiTokens);
  });

  test("a member who attached nothing has an empty list; the avatar's addresses are in the profile", async () => {
    const { members } = await buildCommunity(env(), { members: { member: 1 } });
    const member = members.member[0];
    await env().deps.db.updateTable("users").set({ avatarKey: "avatars/abc" }).where("id", "=", member.id).execute();
    const res = await env().api.get("/api/v1/me/export", member.auth);
    assert.equal(res.status, 200);
    assert.deepEqual(res.body.uploads, []);
    assert.match(res.body.profile.avatar.large, /^\/uploads\/avatars\/abc/);
  });
});
