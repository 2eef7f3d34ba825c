import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import sharp from "sharp";
import {
  DATABASES,
  addMember,
  buildCommunity,
  buildTopic,
  buildUser,
  createTestEnv,
  describeEachDatabase,
} from "../helpers.ts";
import { exportCommunity, importArchive } from "../../src/transfer/index.ts";
import { multipart } from "../accounts/support.ts";
import { browse, getPage } from "../web/web-helpers.ts";
import { unconfirmedWhereRequired, uploadImage } from "./support.ts";

/** A small JPEG with EXIF (camera, GPS-like fields) that the upload must not keep. */
const photo = (width = 1200, height = 900) =>
  sharp({ create: { width, height, channels: 3, background: { r: 200, g: 60, b: 30 } } })
    .withExif({ IFD0: { Make: "SpyCam", Model: "Tracker 3000", Copyright: "secret-location" } })
    .jpeg()
    .toBuffer();

const jpeg = async (name = "router lights.jpg") => ({ name, type: "image/jpeg", bytes: await photo() });

describeEachDatabase(
  "the editor: preview, attachments and posting with images",
  (env) => {
    test("the preview endpoint renders Markdown like a saved post: script tags escaped, text kept", async () => {
      const { slug, members } = await buildCommunity(env(), { members: { member: 1 } });
      const member = members.member[0];
      const body = "Hello **world** <script>alert(1)</script> [x](javascript:alert(2))";
      const res = await env().api.post(`/api/v1/communities/${slug}/preview`, { body }, member.auth);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.match(res.body.html, /<strong>world<\/strong>/);
      assert.match(res.body.html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
      assert.doesNotMatch(res.body.html, /<script|href="javascript/);

      assert.equal((await env().api.post(`/api/v1/communities/${slug}/preview`, { body })).status, 401);
      const secret = await buildCommunity(env(), { visibility: "private" });
      const outsider = await env().api.post(`/api/v1/communities/${secret.slug}/preview`, { body }, member.auth);
      assert.equal(outsider.status, 404);
    });

    test("without JavaScript, Preview shows the form again with the text kept and rendered; nothing is posted", async () => {
      const { slug, community, members } = await buildCommunity(env(), { members: { member: 1 } });
      const member = members.member[0];
      const visitor = await browse(env(), member);
      const form = await visitor.get(`/c/${slug}/new`);
      assert.match(form.body, /enctype="multipart\/form-data"/);
      assert.match(form.body, /name="_preview"/);
      assert.match(form.body, /<input type="file" id="body-image" name="image"/);
      assert.match(form.body, /<button type="button" class="tool" data-tool="bold" aria-label="Bold"/);
      const german = await getPage(env(), `/c/${slug}/new`, member, { "accept-language": "de" });
      assert.match(german.body, /aria-label="Fett"[\s\S]*<label for="body-image">Bild anhängen<\/label>/);
      assert.match(german.body, /role="tab"[^>]*>Schreiben<\/button>/);
      const res = await visitor.submit(`/c/${slug}/new`, {
        kind: "question",
        title: "Router blinks",
        body: "It *blinks* <script>alert(1)</script>",
        _preview: "1",
      });
      assert.equal(res.status, 200);
      assert.match(res.body, /<textarea[^>]*>It \*blinks\* &lt;script&gt;alert\(1\)&lt;\/script&gt;<\/textarea>/);
      assert.match(res.body, /class="editor-preview card"[\s\S]*<em>blinks<\/em> &lt;script&gt;/);
      assert.doesNotMatch(res.body, /<script>alert/);
      assert.match(res.body, /value="Router blinks"/);
      const topics = await env()
        .deps.db.selectFrom("topics")
        .select("id")
        .where("communityId", "=", community.id)
        .execute();
      assert.equal(topics.length, 0);
    });

    test("an upload is re-encoded as WebP without EXIF, at a limited size with a thumbnail", async () => {
      const { slug, members } = await buildCommunity(env(), { members: { member: 1 } });
      const res = await uploadImage(env(), slug, members.member[0], await jpeg());
      assert.equal(res.status, 201, JSON.stringify(res.body));
      const a = res.body.attachment;
      assert.match(a.url, /^\/uploads\/attachments\/[a-f0-9]{32}-1200x900\.webp$/);
      assert.equal(a.thumbnailUrl, a.url.replace(".webp", "-thumb.webp"));
      assert.deepEqual([a.width, a.height], [1200, 900]);
      assert.equal(a.markdown, `![router lights](${a.url})`);
      const file = await env().app.inject({ method: "GET", url: a.url });
      assert.equal(file.statusCode, 200);
      assert.equal(file.headers["content-type"], "image/webp");
      const meta = await sharp(file.rawPayload).metadata();
      assert.equal(meta.format, "webp");
      assert.equal(meta.exif, undefined, "no EXIF kept");
      assert.doesNotMatch(file.rawPayload.toString("latin1"), /SpyCam|secret-location/);
      const thumb = await env().app.inject({ method: "GET", url: a.thumbnailUrl });
      const thumbMeta = await sharp(thumb.rawPayload).metadata();
      assert.deepEqual([thumbMeta.width, thumbMeta.height], [640, 480]);
      const row = await env()
        .deps.db.selectFrom("attachments")
        .selectAll()
        .where("id", "=", a.id)
        .executeTakeFirstOrThrow();
      assert.equal(row.ownerId, members.member[0].id);
      assert.equal(Number(row.width), 1200);
    });

    test("too big, too many pixels and not an image: 4xx with a JSON error", async () => {
      const { slug, members } = await buildCommunity(env(), { members: { member: 1 } });
      const member = members.member[0];
      const big = Buffer.concat([await photo(), Buffer.alloc(8 * 1024 * 1024)]);
      const tooBig = await uploadImage(env(), slug, member, { name: "big.jpg", type: "image/jpeg", bytes: big });
      assert.equal(tooBig.status, 422);
      assert.equal(tooBig.body.error.code, "validation_failed");
      assert.match(tooBig.body.error.fields.image, /too large/);

      const bomb = await sharp({ create: { width: 8000, height: 6000, channels: 3, background: "#fff" } })
        .png()
        .toBuffer();
      const pixels = await uploadImage(env(), slug, member, { name: "bomb.png", type: "image/png", bytes: bomb });
      assert.equal(pixels.status, 422);
      assert.match(pixels.body.error.fields.image, /too many pixels/);

      const text = { name: "notes.jpg", type: "image/jpeg", bytes: Buffer.from("not an image at all") };
      const notImage = await uploadImage(env(), slug, member, text);
      assert.equal(notImage.status, 422);
      assert.match(notImage.body.error.fields.image, /JPEG, PNG, WebP or GIF/);
      const rows = await env()
        .deps.db.selectFrom("attachments")
        .select("id")
        .where("ownerId", "=", member.id)
        .execute();
      assert.equal(rows.length, 0);
    });

    test("a new member's daily allowance: the 11th image of the day is refused (429), the next day allowed", async () => {
      const { slug, community, members } = await buildCommunity(env(), { members: { member: 1 } });
      const member = members.member[0];
      const now = env().clock.now();
      await env()
        .deps.db.insertInto("attachments")
        .values(
          Array.from({ length: 9 }, (_, i) => ({
            communityId: community.id,
            ownerId: member.id,
            key: `attachments/${String(i).repeat(32)}-1x1.webp`,
            width: 1,
            height: 1,
            bytes: 1,
            createdAt: now - i * 1000,
          })),
        )
        .execute();
      assert.equal((await uploadImage(env(), slug, member, await jpeg())).status, 201);
      const refused = await uploadImage(env(), slug, member, await jpeg());
      assert.equal(refused.status, 429);
      assert.equal(refused.body.error.code, "rate_limited");
      // Staff have a larger allowance.
      const staff = await buildUser(env());
      await addMember(env(), community.id, staff.id, "staff");
      assert.equal((await uploadImage(env(), slug, staff, await jpeg())).status, 201);
      env().clock.advance(24 * 3_600_000);
      assert.equal((await uploadImage(env(), slug, member, await jpeg())).status, 201);
    });

    test("uploads sent at once stay within the daily allowance", async () => {
      const { slug, community, members } = await buildCommunity(env(), { members: { member: 1 } });
      const member = members.member[0];
      // Distinct images, so none is the same stored file as another.
      const images = await Promise.all(
        Array.from({ length: 14 }, async (_, i) => ({
          name: `shot ${i}.png`,
          type: "image/png",
          bytes: await sharp({ create: { width: 40 + i, height: 30, channels: 3, background: { r: i, g: 9, b: 9 } } })
            .png()
            .toBuffer(),
        })),
      );
      const answers = await Promise.all(images.map((image) => uploadImage(env(), slug, member, image)));
      const count = (status: number) => answers.filter((a) => a.status === status).length;
      assert.deepEqual([count(201), count(429)], [10, 4]);
      const stored = await env()
        .deps.db.selectFrom("attachments")
        .select("id")
        .where("ownerId", "=", member.id)
        .where("communityId", "=", community.id)
        .execute();
      assert.equal(stored.length, 10);
    });

    test("who may upload: not anonymous, not suspended, not outsiders of a private community; cookies need CSRF", async () => {
      const { slug, members, admin } = await buildCommunity(env(), { members: { member: 2 } });
      const [member, suspended] = members.member;
      assert.equal((await uploadImage(env(), slug, null, await jpeg())).status, 401);

      const suspension = await env().api.put(
        `/api/v1/communities/${slug}/members/${suspended.id}/suspension`,
        { days: 3, reason: "Repeated spam." },
        admin.auth,
      );
      assert.equal(suspension.status, 200, JSON.stringify(suspension.body));
      const refused = await uploadImage(env(), slug, suspended, await jpeg());
      assert.equal(refused.status, 403);
      assert.equal(refused.body.error.code, "forbidden");

      const secret = await buildCommunity(env(), { visibility: "private" });
      assert.equal((await uploadImage(env(), secret.slug, member, await jpeg())).status, 404);

      // A session without the CSRF header (a cross-site form) is refused; with it, accepted.
      const visitor = await browse(env(), member);
      const noHeader = await uploadImage(env(), slug, null, await jpeg(), { cookie: visitor.cookie });
      assert.equal(noHeader.status, 403);
      const withHeader = await uploadImage(env(), slug, null, await jpeg(), {
        cookie: visitor.cookie,
        "x-csrf-token": visitor.csrf,
      });
      assert.equal(withHeader.status, 201, JSON.stringify(withHeader.body));
    });

    test("a member who may not post here (email not confirmed where the community asks) may not upload", async () => {
      const { slug, admin, members } = await buildCommunity(env(), { members: { member: 1 } });
      const member = members.member[0];
      await unconfirmedWhereRequired(env(), slug, admin, member);
      const refused = await uploadImage(env(), slug, member, await jpeg());
      assert.equal(refused.status, 403, JSON.stringify(refused.body));
      assert.match(refused.body.error.message, /Confirm your email/);
      const stored = await env()
        .deps.db.selectFrom("attachments")
        .select("id")
        .where("ownerId", "=", member.id)
        .execute();
      assert.equal(stored.length, 0);

      const now = env().clock.now();
      await env().deps.db.updateTable("users").set({ emailVerifiedAt: now }).where("id", "=", member.id).execute();
      assert.equal((await uploadImage(env(), slug, member, await jpeg())).status, 201);
    });

    test("a new member may post an uploaded image (shown as a thumbnail) but still no external image", async () => {
      const { slug, members } = await buildCommunity(env(), { members: { member: 1 } });
      const member = members.member[0];
      const { attachment } = (await uploadImage(env(), slug, member, await jpeg())).body;
      const posted = await env().api.post(
        `/api/v1/communities/${slug}/topics`,
        { kind: "problem", title: "The router shows red lights", body: `Look:\n\n${attachment.markdown}`, tags: [] },
        member.auth,
      );
      assert.equal(posted.status, 201, JSON.stringify(posted.body));
      const page = await getPage(env(), posted.body.topic.url);
      assert.match(
        page.body,
        new RegExp(
          `<a class="attachment" href="${attachment.url}"><img src="${attachment.thumbnailUrl}" alt="router lights" ` +
            `width="640" height="480" loading="lazy"></a>`,
        ),
      );

      const external = await env().api.post(
        `/api/v1/communities/${slug}/topics`,
        { kind: "problem", title: "Another router problem", body: "![x](https://example.com/x.png)", tags: [] },
        member.auth,
      );
      assert.equal(external.status, 403);
      assert.match(external.body.error.message, /cannot post images yet/);

      const many = Array.from({ length: 4 }, () => attachment.markdown).join("\n\n");
      const tooMany = await env().api.post(
        `/api/v1/communities/${slug}/topics`,
        { kind: "problem", title: "Four pictures of my router", body: many, tags: [] },
        member.auth,
      );
      assert.equal(tooMany.status, 403);
      assert.match(tooMany.body.error.message, /at most 3 attached images/);
    });

    test("without JavaScript, an image picked in the reply form is uploaded with the post", async () => {
      const { slug, members } = await buildCommunity(env(), { members: { member: 2 } });
      const [asker, helper] = members.member;
      const topic = (
        await env().api.post(
          `/api/v1/communities/${slug}/topics`,
          { kind: "question", title: "Which cable goes where?", body: "Confused.", tags: [] },
          asker.auth,
        )
      ).body.topic;
      const visitor = await browse(env(), helper);
      const body = multipart("image", await jpeg("cable.jpg"), { _csrf: visitor.csrf, body: "Like this:" });
      const res = await env().app.inject({
        method: "POST",
        url: `/c/${slug}/t/${topic.id}/reply`,
        headers: { ...body.headers, cookie: visitor.cookie },
        payload: body.payload,
      });
      assert.equal(res.statusCode, 303, res.body.slice(0, 500));
      const reply = await env()
        .deps.db.selectFrom("replies")
        .select(["body", "bodyHtml"])
        .where("topicId", "=", topic.id)
        .executeTakeFirstOrThrow();
      assert.match(reply.body, /^Like this:\n\n!\[cable\]\(\/uploads\/attachments\/[a-f0-9]{32}-1200x900\.webp\)$/);
      assert.match(reply.bodyHtml, /<a class="attachment"/);

      // Without the form's CSRF token nothing is stored.
      const forged = multipart("image", await jpeg("cable.jpg"), { body: "Forged" });
      const before = await env().deps.db.selectFrom("attachments").select("id").execute();
      const refused = await env().app.inject({
        method: "POST",
        url: `/c/${slug}/t/${topic.id}/reply`,
        headers: { ...forged.headers, cookie: visitor.cookie },
        payload: forged.payload,
      });
      assert.equal(refused.statusCode, 403);
      assert.equal((await env().deps.db.selectFrom("attachments").select("id").execute()).length, before.length);
    });

    test("an image's file name with NUL, control or bidi characters makes a clean one-line description", async () => {
      const { slug, members } = await buildCommunity(env(), { members: { member: 2 } });
      const [asker, helper] = members.member;
      const topic = await buildTopic(env(), slug, asker, { title: "Which cable goes where?" });
      const name = "cable\u0000 red\u0001\u202e.jpg";
      const api = await uploadImage(env(), slug, helper, { ...(await jpeg()), name });
      assert.equal(api.status, 201, JSON.stringify(api.body));
      assert.equal(api.body.attachment.markdown, `![cable red](${api.body.attachment.url})`);
      // Cut by characters: 150 emoji make a description of 100 whole ones.
      const long = await uploadImage(env(), slug, helper, {
        ...(await jpeg()),
        name: `${"\u{1F600}".repeat(150)}.png`,
      });
      assert.equal(long.body.attachment.markdown, `![${"\u{1F600}".repeat(100)}](${long.body.attachment.url})`);

      const visitor = await browse(env(), helper);
      const form = multipart("image", { ...(await jpeg()), name }, { _csrf: visitor.csrf, body: "Like this:" });
      const res = await env().app.inject({
        method: "POST",
        url: `/c/${slug}/t/${topic.id}/reply`,
        headers: { ...form.headers, cookie: visitor.cookie },
        payload: form.payload,
      });
      assert.equal(res.statusCode, 303, res.body.slice(0, 300));
      const reply = await env()
        .deps.db.selectFrom("replies")
        .select("body")
        .where("topicId", "=", topic.id)
        .executeTakeFirstOrThrow();
      assert.match(reply.body, /^Like this:\n\n!\[cable red\]\(\/uploads\/attachments\/[a-f0-9]{32}-1200x900\.webp\)$/);
    });

    test("a multipart post keeps a long body whole, and a body the parser cannot read is a 400", async () => {
      const { slug, members } = await buildCommunity(env(), { members: { member: 2 } });
      const [asker, helper] = members.member;
      const topic = await buildTopic(env(), slug, asker, { title: "Which cable goes where?" });
      const visitor = await browse(env(), helper);
      const post = (payload: Buffer | string, contentType: string) =>
        env().app.inject({
          method: "POST",
          url: `/c/${slug}/t/${topic.id}/reply`,
          headers: { "content-type": contentType, cookie: visitor.cookie },
          payload,
        });
      // 40,000 characters of three bytes each: within the body's limit, 120 KB as UTF-8 (it was
      // cut at 100 KB, in the middle of a character).
      const long = "漢".repeat(40_000);
      const form = multipart(
        "image",
        { name: "none.png", type: "application/octet-stream", bytes: Buffer.alloc(0) },
        {
          _csrf: visitor.csrf,
          body: long,
        },
      );
      const saved = await post(form.payload, form.headers["content-type"]);
      assert.equal(saved.statusCode, 303, saved.body.slice(0, 300));
      const reply = await env()
        .deps.db.selectFrom("replies")
        .select("body")
        .where("topicId", "=", topic.id)
        .executeTakeFirstOrThrow();
      assert.equal(reply.body, long);
      for (const [payload, type] of [
        ["garbage", "multipart/form-data"],
        ['--x\r\nContent-Disposition: form-data; name="body"\r\n\r\ncut off', "multipart/form-data; boundary=x"],
      ]) {
        const res = await post(payload, type);
        assert.equal(res.statusCode, 400, `${type}: ${res.body.slice(0, 200)}`);
      }
    });
  },
  { dataDir: fs.mkdtempSync(path.join(os.tmpdir(), "cs-editor-")) },
);

test("a community archive carries the attachments' rows and files to another installation", async () => {
  const source = await createTestEnv(DATABASES[0], { dataDir: fs.mkdtempSync(path.join(os.tmpdir(), "cs-att-a-")) });
  const target = await createTestEnv(DATABASES[DATABASES.length - 1], {
    dataDir: fs.mkdtempSync(path.join(os.tmpdir(), "cs-att-b-")),
  });
  try {
    const { slug, members } = await buildCommunity(source, { members: { member: 1 } });
    const { attachment } = (await uploadImage(source, slug, members.member[0], await jpeg())).body;
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "cs-att-x-")), "archive.jsonl.gz");
    await exportCommunity(source.deps, { slug, file });
    assert.equal((await target.app.inject({ method: "GET", url: attachment.url })).statusCode, 404);
    await importArchive(target.deps, { file });
    for (const url of [attachment.url, attachment.thumbnailUrl])
      assert.equal((await target.app.inject({ method: "GET", url })).statusCode, 200, url);
    const rows = await target.deps.db.selectFrom("attachments").select(["key", "width"]).execute();
    assert.deepEqual(
      rows.map((r) => [`/uploads/${r.key}`, Number(r.width)]),
      [[attachment.url, 1200]],
    );
  } finally {
    await source.close();
    await target.close();
  }
});
