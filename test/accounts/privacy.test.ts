import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { beforeEach, test } from "node:test";
import assert from "node:assert/strict";
import sharp from "sharp";
import {
  TEST_PASSWORD,
  buildCommunity,
  buildReply,
  buildTopic,
  buildUser,
  describeEachDatabase,
  type TestUser,
} from "../helpers.ts";
import { emailsTo, multipart } from "./support.ts";
import { saveAvatarUpload } from "../../src/accounts/accounts.uploads.ts";
import { AVATAR_RATE_LIMIT } from "../../src/accounts/accounts.avatars.ts";
import { createSession } from "../../src/accounts/accounts.service.ts";
import { sha256 } from "../../src/lib/crypto.ts";
import { browse } from "../web/web-helpers.ts";
import { JobRegistry, runDueJobs } from "../../src/jobs/jobs.ts";
import { deliveryJob } from "../../src/jobs/events.ts";
import { fanoutJob } from "../../src/notifications/notifications.fanout.ts";
import { SUBSCRIBERS } from "../../src/app/subscribers.ts";

const png = (width: number, height: number) =>
  sharp({ create: { width, height, channels: 3, background: "#cc3366" } })
    .png()
    .toBuffer();

describeEachDatabase(
  "avatars, export and account deletion",
  (env) => {
    beforeEach(() => env().clock.advance(2 * 3600_000));

    /** Runs the events' deliveries and the notification fan-out, but sends no email: they stay queued. */
    const notifyWithoutSending = async () => {
      const registry = new JobRegistry().register(fanoutJob).register(...SUBSCRIBERS.map(deliveryJob));
      while ((await runDueJobs(env().deps, registry)) > 0);
    };

    test("no account takes a deleted account's placeholder address, so deleting always works", async () => {
      const victim = await buildUser(env());
      const placeholder = `deleted-${victim.id}@deleted.invalid`;
      const signup = await env().api.post("/api/v1/auth/signup", {
        email: placeholder,
        password: "s3cret-enough",
        name: "Squatter",
      });
      assert.equal(signup.status, 422);
      assert.ok(signup.body.error.fields.email);
      const other = await buildUser(env());
      const move = await env().api.put("/api/v1/me/email", { email: placeholder, password: TEST_PASSWORD }, other.auth);
      assert.equal(move.status, 422);
      const deleted = await env().api.request("DELETE", "/api/v1/me", { password: TEST_PASSWORD }, victim.auth);
      assert.equal(deleted.status, 204);
    });

    const upload = (user: TestUser, file: { name: string; type: string; bytes: Buffer }, field = "avatar") => {
      const body = multipart(field, file);
      return env().app.inject({
        method: "PUT",
        url: "/api/v1/me/avatar",
        headers: { ...body.headers, authorization: `Bearer ${user.auth.token}` },
        payload: body.payload,
      });
    };

    test("an avatar is re-encoded square in three sizes without metadata, and shown beside the name", async () => {
      const { slug } = await buildCommunity(env());
      const user = await buildUser(env(), { name: "Ada Avatar" });
      const plain = await buildUser(env(), { name: "Ben Plain" });
      const photo = await sharp({ create: { width: 300, height: 200, channels: 3, background: "#2255aa" } })
        .jpeg()
        .withExif({ IFD0: { Copyright: "Secret Place", Artist: "Ada" } })
        .toBuffer();
      assert.ok((await sharp(photo).metadata()).exif, "the upload carries EXIF");
      const res = await upload(user, { name: "me.jpg", type: "image/jpeg", bytes: photo });
      assert.equal(res.statusCode, 200, res.body);
      const avatar = JSON.parse(res.body).user.avatar;
      for (const [size, url] of [
        [64, avatar.small],
        [128, avatar.medium],
        [256, avatar.large],
      ]) {
        const file = await env().app.inject({ method: "GET", url });
        assert.equal(file.statusCode, 200);
        assert.equal(file.headers["content-type"], "image/webp");
        const meta = await sharp(file.rawPayload).metadata();
        assert.equal(meta.width, size);
        assert.equal(meta.height, size);
        assert.equal(meta.exif, undefined, "metadata stripped");
      }

      const topic = await buildTopic(env(), slug, user);
      await buildReply(env(), topic.id, plain);
      const api = await env().api.get(`/api/v1/topics/${topic.id}`, user.auth);
      assert.equal(api.body.topic.author.avatarUrl, avatar.medium);
      const page = await env().app.inject({ method: "GET", url: topic.url });
      assert.match(page.body, new RegExp(`<img class="face face-s" src="${avatar.medium}"`));
      assert.match(page.body, /<span class="face face-s face-hue-\d" aria-hidden="true">BP<\/span>/, "initials");
      const list = await env().app.inject({ method: "GET", url: `/c/${slug}` });
      assert.match(list.body, new RegExp(`src="${avatar.medium}"`));

      const removed = await env().api.request("DELETE", "/api/v1/me/avatar", undefined, user.auth);
      assert.equal(removed.status, 200);
      assert.equal(removed.body.user.avatar, null);
      assert.equal((await env().app.inject({ method: "GET", url: avatar.large })).statusCode, 404, "files removed");
    });

    test("an avatar upload that finishes after the account's deletion leaves the deleted member no picture", async () => {
      const user = await buildUser(env());
      const photo = await sharp({ create: { width: 64, height: 64, channels: 3, background: "#aa5522" } })
        .png()
        .toBuffer();
      // The upload was read while the account lived; it is stored once the deletion went through.
      const deleted = await env().api.request("DELETE", "/api/v1/me", { password: TEST_PASSWORD }, user.auth);
      assert.equal(deleted.status, 204);
      await assert.rejects(saveAvatarUpload(env().deps, user.id, { bytes: photo, truncated: false, fields: {} }), {
        code: "not_found",
      });
      const row = await env()
        .deps.db.selectFrom("users")
        .select("avatarKey")
        .where("id", "=", user.id)
        .executeTakeFirstOrThrow();
      assert.equal(row.avatarKey, null);
    });

    test("a sign-in finishing after the account's deletion gets no session; no old one or token works", async () => {
      const user = await buildUser(env());
      // Single sign-on checks no password: its sign-in identified the member while the account lived.
      const deleted = await env().api.request("DELETE", "/api/v1/me", { password: TEST_PASSWORD }, user.auth);
      assert.equal(deleted.status, 204);
      await assert.rejects(createSession(env().deps, user.id, "SSO browser"), { code: "unauthorized" });
      const sessions = await env()
        .deps.db.selectFrom("sessions")
        .select("idHash")
        .where("userId", "=", user.id)
        .execute();
      assert.deepEqual(sessions, []);

      // Whatever is left over from before (a row written by an older version) never signs a deleted member in.
      const now = env().clock.now();
      const cookie = "left-over-session";
      const token = "cs_left-over-token";
      await env()
        .deps.db.insertInto("sessions")
        .values({ idHash: sha256(cookie), userId: user.id, createdAt: now, expiresAt: now + 3600_000, lastSeenAt: now })
        .execute();
      await env()
        .deps.db.insertInto("apiTokens")
        .values({ userId: user.id, name: "left over", tokenHash: sha256(token), createdAt: now, scope: "write" })
        .execute();
      const me = (headers: Record<string, string>) => env().app.inject({ method: "GET", url: "/api/v1/me", headers });
      assert.equal((await me({ cookie: `cs_session=${cookie}` })).statusCode, 401);
      assert.equal((await me({ authorization: `Bearer ${token}` })).statusCode, 401);
    });

    test("not an image, too big, too many pixels or another field: 422 on avatar", async () => {
      const user = await buildUser(env());
      const text = await upload(user, { name: "a.png", type: "image/png", bytes: Buffer.from("not an image at all") });
      assert.equal(text.statusCode, 422);
      assert.ok(JSON.parse(text.body).error.fields.avatar);
      const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"></svg>');
      assert.equal((await upload(user, { name: "a.svg", type: "image/svg+xml", bytes: svg })).statusCode, 422);
      const huge = Buffer.concat([await png(10, 10), Buffer.alloc(6 * 1024 * 1024)]);
      const big = await upload(user, { name: "big.png", type: "image/png", bytes: huge });
      assert.equal(big.statusCode, 422);
      assert.match(JSON.parse(big.body).error.fields.avatar, /too large/);
      const pixels = await upload(user, { name: "wide.png", type: "image/png", bytes: await png(6000, 5000) });
      assert.equal(pixels.statusCode, 422);
      assert.match(JSON.parse(pixels.body).error.fields.avatar, /pixels/);
      const other = await upload(user, { name: "a.png", type: "image/png", bytes: await png(10, 10) }, "picture");
      assert.equal(other.statusCode, 422);
      const json = await env().api.put("/api/v1/me/avatar", { avatar: "x" }, user.auth);
      assert.equal(json.status, 422);
      assert.equal((await env().api.get("/api/v1/me", user.auth)).body.user.avatar, null);
    });

    test("avatar uploads are rate-limited per member: 429 in the API, the form says why", async () => {
      const user = await buildUser(env());
      const other = await buildUser(env());
      const image = { name: "a.png", type: "image/png", bytes: await png(10, 10) };
      for (let i = 0; i < AVATAR_RATE_LIMIT.max; i++) assert.equal((await upload(user, image)).statusCode, 200);
      const refused = await upload(user, image);
      assert.equal(refused.statusCode, 429);
      assert.equal(JSON.parse(refused.body).error.code, "rate_limited");
      assert.equal((await upload(other, image)).statusCode, 200, "another member is not held back");

      const browser = await browse(env(), user);
      const body = multipart("avatar", image, { _csrf: browser.csrf });
      const page = await env().app.inject({
        method: "POST",
        url: "/me/account/avatar",
        headers: { ...body.headers, cookie: browser.cookie },
        payload: body.payload,
      });
      assert.equal(page.statusCode, 429);
      assert.match(page.body, /Too many attempts in a short time/);
      assert.doesNotMatch(page.body, /Choose a JPEG, PNG, WebP or GIF image/, "not blamed on the image");

      env().clock.advance(AVATAR_RATE_LIMIT.windowMs + 1);
      assert.equal((await upload(user, image)).statusCode, 200, "allowed again in the next window");
    });

    test("export my data is a JSON attachment with profile, posts, votes, notifications and ledger", async () => {
      const { slug } = await buildCommunity(env());
      const user = await buildUser(env(), { name: "Exporting Eva" });
      const other = await buildUser(env());
      const topic = await buildTopic(env(), slug, user, { title: "Exported question title" });
      const reply = await buildReply(env(), topic.id, other);
      await env().api.put(`/api/v1/replies/${reply.id}/vote`, { value: 1 }, user.auth);
      await buildReply(env(), topic.id, user, "My own exported reply");
      await notifyWithoutSending();
      const res = await env().app.inject({
        method: "GET",
        url: "/api/v1/me/export",
        headers: { authorization: `Bearer ${user.auth.token}` },
      });
      assert.equal(res.statusCode, 200);
      assert.match(String(res.headers["content-type"]), /^application\/json/);
      assert.match(String(res.headers["content-disposition"]), /^attachment; filename=".+\.json"$/);
      const data = JSON.parse(res.body);
      assert.equal(data.profile.name, "Exporting Eva");
      assert.equal(data.profile.email, user.email);
      assert.equal(data.posts.topics[0].title, "Exported question title");
      assert.equal(data.posts.replies[0].body, "My own exported reply");
      assert.equal(data.votes.posts.length, 1);
      assert.ok(
        data.notifications.some((n: { kind: string }) => n.kind === "reply"),
        "notifications",
      );
      for (const key of ["bookings", "messages", "ledgerEntries", "sessions", "apiTokens"])
        assert.ok(Array.isArray(data[key]), key);
      assert.doesNotMatch(res.body, /passwordHash|scrypt|tokenHash|idHash/);
    });

    test("a community's only admin hands over before deleting the account", async () => {
      const { slug, admin, community } = await buildCommunity(env());
      const remove = () => env().api.request("DELETE", "/api/v1/me", { password: TEST_PASSWORD }, admin.auth);
      const refused = await remove();
      assert.equal(refused.status, 409);
      assert.ok(refused.body.error.message.includes(community.name), refused.body.error.message);
      assert.equal((await env().api.get("/api/v1/me", admin.auth)).status, 200, "nothing deleted");
      const form = await (await browse(env(), admin)).submit("/me/account/delete", { password: TEST_PASSWORD });
      assert.match(form.body, /You are the only admin of/, "the form says so next to the password");
      assert.equal((await env().api.get("/api/v1/me", admin.auth)).status, 200);
      const successor = await buildUser(env());
      const appointed = await env().api.put(
        `/api/v1/communities/${slug}/members/${successor.id}`,
        { role: "admin" },
        admin.auth,
      );
      assert.equal(appointed.status, 200);
      assert.equal((await remove()).status, 204);

      // The deleted account keeps its membership row, but it is no admin any more: the successor is
      // now the only one, and cannot step down, leave the account, or hand over to the deleted one.
      const role = (user: { id: number }, to: string) =>
        env().api.put(`/api/v1/communities/${slug}/members/${user.id}`, { role: to }, successor.auth);
      assert.equal((await role(admin, "admin")).status, 404, "a deleted account cannot be made admin");
      assert.equal((await role(successor, "member")).status, 409);
      const leaving = await env().api.request("DELETE", "/api/v1/me", { password: TEST_PASSWORD }, successor.auth);
      assert.equal(leaving.status, 409);
      assert.equal((await env().api.get(`/api/v1/communities/${slug}`, successor.auth)).body.community.role, "admin");
    });

    test("two admins deleting their accounts at once: one is refused, the community keeps an admin", async () => {
      const { slug, admin, community } = await buildCommunity(env());
      const second = await buildUser(env());
      const made = await env().api.put(
        `/api/v1/communities/${slug}/members/${second.id}`,
        { role: "admin" },
        admin.auth,
      );
      assert.equal(made.status, 200);
      const both = await Promise.all(
        [admin, second].map((user) =>
          env().api.request("DELETE", "/api/v1/me", { password: TEST_PASSWORD }, user.auth),
        ),
      );
      assert.deepEqual(both.map((r) => r.status).sort(), [204, 409]);
      const admins = await env()
        .deps.db.selectFrom("memberships")
        .innerJoin("users", "users.id", "memberships.userId")
        .select("users.id")
        .where("memberships.communityId", "=", community.id)
        .where("memberships.role", "=", "admin")
        .where("users.deletedAt", "is", null)
        .execute();
      assert.equal(admins.length, 1);
    });

    test("deleting the account renames it in the emails that name it, not in those naming a namesake", async () => {
      const { slug } = await buildCommunity(env());
      const leaver = await buildUser(env(), { name: "Sam Same" });
      const namesake = await buildUser(env(), { name: "Sam Same" });
      const asker = await buildUser(env(), { name: "Otto Asker" });
      const left = await buildTopic(env(), slug, asker, { title: "Router lights blinking orange" });
      const stays = await buildTopic(env(), slug, asker, { title: "Fibre modem drops at night" });
      await buildReply(env(), left.id, leaver, "Unplug it for a minute, then wait.");
      await buildReply(env(), stays.id, namesake, "Check the cable in the wall socket.");
      await notifyWithoutSending();
      const res = await env().api.request("DELETE", "/api/v1/me", { password: TEST_PASSWORD }, leaver.auth);
      assert.equal(res.status, 204);
      const queued = (await emailsTo(env(), asker.email)).filter((m) => m.status === "pending");
      const about = (title: string) => {
        const mail = queued.find((m) => m.textBody.includes(title));
        assert.ok(mail, `an email about "${title}"`);
        return mail.subject;
      };
      assert.match(about("Router lights blinking orange"), /Deleted member/);
      assert.doesNotMatch(about("Router lights blinking orange"), /Sam Same/);
      assert.match(about("Fibre modem drops at night"), /Sam Same/, "the namesake keeps their name");
    });

    test("deleting the account: password required, then 204, no login, and 'Deleted member' everywhere", async () => {
      const { slug } = await buildCommunity(env());
      const leaver = await buildUser(env(), { name: "Lena Leaving" });
      const asker = await buildUser(env(), { name: "Otto Asker" });
      const topic = await buildTopic(env(), slug, asker, { title: "Router lights blinking orange" });
      const ownTopic = await buildTopic(env(), slug, leaver, { title: "Fibre modem drops at night" });
      await buildReply(env(), topic.id, leaver, "Unplug it for a minute, then wait.");
      await notifyWithoutSending();
      const pending = (await emailsTo(env(), asker.email)).filter((m) => m.status === "pending");
      assert.ok(
        pending.some((m) => m.subject.includes("Lena Leaving")),
        "a queued email names the leaver",
      );

      const wrong = await env().api.request("DELETE", "/api/v1/me", { password: "not-it-at-all" }, leaver.auth);
      assert.equal(wrong.status, 403);
      const res = await env().api.request("DELETE", "/api/v1/me", { password: TEST_PASSWORD }, leaver.auth);
      assert.equal(res.status, 204);
      assert.equal(res.body, "");

      const login = await env().api.post("/api/v1/auth/login", { email: leaver.email, password: TEST_PASSWORD });
      assert.equal(login.status, 401);
      assert.equal((await env().api.get("/api/v1/me", leaver.auth)).status, 401, "tokens end");
      assert.equal((await env().api.get("/api/v1/me", { cookie: leaver.cookie })).status, 401, "sessions end");

      const api = await env().api.get(`/api/v1/topics/${topic.id}`, asker.auth);
      const replies = JSON.stringify(api.body);
      assert.match(replies, /"name":"Deleted member"/);
      assert.doesNotMatch(replies, /"name":"Lena Leaving"/);
      const own = await env().api.get(`/api/v1/topics/${ownTopic.id}`);
      assert.equal(own.body.topic.author.name, "Deleted member", "posts stay, credited to Deleted member");
      assert.equal(own.body.topic.author.handle, `deleted-${leaver.id}`, "the handle made from the name goes too");
      assert.doesNotMatch(replies, new RegExp(leaver.handle));
      const page = await env().app.inject({ method: "GET", url: topic.url });
      assert.match(page.body, /Deleted member/);
      assert.doesNotMatch(page.body, />Lena Leaving</);
      const list = await env().app.inject({ method: "GET", url: `/c/${slug}` });
      assert.match(list.body, /Deleted member/);
      assert.doesNotMatch(list.body, /Lena Leaving/);
      const search = await env().api.get(`/api/v1/communities/${slug}/search?q=fibre+modem`);
      assert.equal(search.status, 200);
      assert.ok(JSON.stringify(search.body).includes("Fibre modem drops at night"), "still found");
      assert.doesNotMatch(JSON.stringify(search.body), /Lena/);

      const notes = await env().api.get("/api/v1/notifications", asker.auth);
      const text = JSON.stringify(notes.body);
      assert.match(text, /Deleted member/);
      assert.doesNotMatch(text, /Lena Leaving/);
      const queued = (await emailsTo(env(), asker.email)).filter((m) => m.status === "pending");
      assert.ok(queued.length > 0);
      for (const mail of queued) {
        assert.doesNotMatch(`${mail.subject}${mail.textBody}${mail.htmlBody}`, /Lena Leaving/);
        assert.match(mail.subject, /Deleted member/);
      }
      assert.deepEqual(await emailsTo(env(), leaver.email), [], "the leaver's own emails are gone");

      const again = await env().api.post("/api/v1/auth/signup", {
        email: leaver.email,
        password: "s3cret-enough",
        name: "Back",
      });
      assert.equal(again.status, 201, "the address is free again");
    });
  },
  { dataDir: fs.mkdtempSync(path.join(os.tmpdir(), "cs-accounts-")) },
);
