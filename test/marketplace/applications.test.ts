import { test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import sharp from "sharp";
import { MARKET_LIMITS } from "../../src/marketplace/marketplace.schema.ts";
import { TEST_PASSWORD, buildCommunity, buildUser } from "../helpers.ts";
import { drainJobs } from "../notifications/support.ts";
import { applicationBody, describeMarket, image } from "./support.ts";

/** A photo of a colour no other test's photo has, so that no other helper of the suite shares its file. */
async function photoOnlyHere(colour: string) {
  const picture = sharp({ create: { width: 64, height: 64, channels: 3, background: colour } }).png();
  return { data: (await picture.toBuffer()).toString("base64") };
}

describeMarket("helper applications", (env) => {
  test("apply, review queue, approve: audited, applicant notified, photo re-encoded and served", async () => {
    const { slug, admin, members } = await buildCommunity(env(), { members: { member: 1 } });
    const [applicant] = members.member;
    const res = await env().api.post(
      `/api/v1/communities/${slug}/helper-applications`,
      await applicationBody(),
      applicant.auth,
    );
    assert.equal(res.status, 201);
    assert.equal(res.body.application.status, "pending");
    const photo = await env().app.inject({ method: "GET", url: res.body.application.photoUrl });
    assert.equal(photo.statusCode, 200);
    assert.equal(photo.headers["content-type"], "image/webp");
    assert.match(String(photo.headers["cache-control"]), /max-age=31536000, immutable/);

    const queue = await env().api.get(`/api/v1/communities/${slug}/helper-applications`, admin.auth);
    assert.deepEqual(
      queue.body.applications.map((a: any) => a.userId),
      [applicant.id],
    );
    assert.equal(
      (await env().api.get(`/api/v1/communities/${slug}/helper-applications`, applicant.auth)).status,
      403,
      "members do not see the queue",
    );

    const decided = await env().api.post(
      `/api/v1/helper-applications/${res.body.application.id}/decision`,
      { decision: "approve" },
      admin.auth,
    );
    assert.equal(decided.status, 200);
    assert.equal(decided.body.application.status, "approved");
    const audit = await env()
      .deps.db.selectFrom("auditLog")
      .selectAll()
      .where("targetId", "=", res.body.application.id)
      .execute();
    assert.deepEqual(
      audit.map((a) => a.action),
      ["helper.approve"],
    );
    await drainJobs(env());
    const notes = (await env().api.get("/api/v1/notifications", applicant.auth)).body.notifications;
    assert.equal(notes[0].kind, "market.application_approved");
    assert.match(notes[0].text, /Your application in Community \d+ is approved/);
  });

  test("an upload key that names no file, or could not name one, is 404", async () => {
    for (const key of ["helpers/none.webp", `helpers/${"a".repeat(300)}.webp`, "../secret.webp", "helpers/x.exe"]) {
      const res = await env().app.inject({ method: "GET", url: `/uploads/${key}` });
      assert.equal(res.statusCode, 404, key);
    }
  });

  test("reject needs a reason; ask for changes, then re-apply; suspend an approved helper", async () => {
    const { slug, admin, members } = await buildCommunity(env(), { members: { member: 1 } });
    const [applicant] = members.member;
    const { id } = (
      await env().api.post(`/api/v1/communities/${slug}/helper-applications`, await applicationBody(), applicant.auth)
    ).body.application;
    const noReason = await env().api.post(
      `/api/v1/helper-applications/${id}/decision`,
      { decision: "reject" },
      admin.auth,
    );
    assert.equal(noReason.status, 422);
    assert.ok(noReason.body.error.fields.reason);
    const changes = await env().api.post(
      `/api/v1/helper-applications/${id}/decision`,
      { decision: "changes", reason: "Please use a clearer photo." },
      admin.auth,
    );
    assert.equal(changes.body.application.status, "changes_requested");
    assert.equal(
      (
        await env().api.post(
          `/api/v1/helper-applications/${id}/decision`,
          { decision: "suspend", reason: "No." },
          admin.auth,
        )
      ).status,
      409,
      "only approved helpers are suspended",
    );
    const again = await env().api.post(
      `/api/v1/communities/${slug}/helper-applications`,
      await applicationBody({ bio: "Updated: I also install software and set up phones." }),
      applicant.auth,
    );
    assert.equal(again.status, 201);
    assert.equal(again.body.application.id, id, "the same application, back in the queue");
    assert.equal(again.body.application.status, "pending");
    await env().api.post(`/api/v1/helper-applications/${id}/decision`, { decision: "approve" }, admin.auth);
    const suspended = await env().api.post(
      `/api/v1/helper-applications/${id}/decision`,
      { decision: "suspend", reason: "Complaints from customers." },
      admin.auth,
    );
    assert.equal(suspended.body.application.status, "suspended");
    const actions = (
      await env().deps.db.selectFrom("auditLog").select("action").where("targetId", "=", id).orderBy("id").execute()
    ).map((a) => a.action);
    assert.deepEqual(actions, ["helper.changes", "helper.approve", "helper.suspend"]);
    assert.equal(
      (await env().api.post(`/api/v1/communities/${slug}/helper-applications`, await applicationBody(), applicant.auth))
        .status,
      403,
      "a suspended helper cannot re-apply",
    );
  });

  test("a reviewer who applies waits for another one: no deciding on one's own application", async () => {
    const { slug, admin, members } = await buildCommunity(env(), { members: { staff: 1 } });
    const [staff] = members.staff;
    const applied = await env().api.post(
      `/api/v1/communities/${slug}/helper-applications`,
      await applicationBody(),
      staff.auth,
    );
    const decision = `/api/v1/helper-applications/${applied.body.application.id}/decision`;
    const own = await env().api.post(decision, { decision: "approve" }, staff.auth);
    assert.equal(own.status, 403);
    assert.match(own.body.error.message, /Another reviewer/);
    const desk = await env().app.inject({ url: `/c/${slug}/service-friends/staff`, headers: { cookie: staff.cookie } });
    assert.equal(desk.statusCode, 200);
    assert.match(desk.body, /Another reviewer decides on your own application\./, "no buttons, a hint");
    assert.equal((await env().api.post(decision, { decision: "approve" }, admin.auth)).status, 200);
  });

  test("a second application while one is pending is refused; members cannot decide", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 2 } });
    const [applicant, other] = members.member;
    const first = await env().api.post(
      `/api/v1/communities/${slug}/helper-applications`,
      await applicationBody(),
      applicant.auth,
    );
    assert.equal(
      (await env().api.post(`/api/v1/communities/${slug}/helper-applications`, await applicationBody(), applicant.auth))
        .status,
      409,
    );
    const decision = await env().api.post(
      `/api/v1/helper-applications/${first.body.application.id}/decision`,
      { decision: "approve" },
      other.auth,
    );
    assert.equal(decision.status, 404);
    assert.equal(
      (await env().deps.db.selectFrom("auditLog").selectAll().execute()).filter(
        (a) => a.targetId === first.body.application.id,
      ).length,
      0,
    );
  });

  test("helpers with the same photo share its file: it stays while either still uses it", async () => {
    const { slug } = await buildCommunity(env());
    const [a, b, racer] = [await buildUser(env()), await buildUser(env()), await buildUser(env())];
    const body = await applicationBody({ photo: await photoOnlyHere("#a1b2c3") });
    const apply = (user: typeof a) =>
      env().api.post(`/api/v1/communities/${slug}/helper-applications`, body, user.auth);
    const [ofA, ofB] = [await apply(a), await apply(b)];
    assert.deepEqual([ofA.status, ofB.status], [201, 201]);
    const url = ofB.body.application.photoUrl;
    assert.equal(ofA.body.application.photoUrl, url, "the same picture, the same key");
    const served = async () => (await env().app.inject({ method: "GET", url })).statusCode;

    assert.equal((await env().api.request("DELETE", "/api/v1/me", { password: TEST_PASSWORD }, a.auth)).status, 204);
    assert.equal(await served(), 200, "b still uses it");
    // A double submission: whichever loses must not delete the file the winner saved.
    const twice = await Promise.all([apply(racer), apply(racer)]);
    assert.deepEqual(twice.map((r) => r.status).sort(), [201, 409]);
    assert.equal((await env().api.request("DELETE", "/api/v1/me", { password: TEST_PASSWORD }, b.auth)).status, 204);
    assert.equal(await served(), 200, "the racer still uses it");
    assert.equal(
      (await env().api.request("DELETE", "/api/v1/me", { password: TEST_PASSWORD }, racer.auth)).status,
      204,
    );
    assert.equal(await served(), 404, "gone with its last helper");
  });

  test("a new photo in a re-application replaces the old file, which is no longer served", async () => {
    const { slug, admin, members } = await buildCommunity(env(), { members: { member: 1 } });
    const [applicant] = members.member;
    const apply = async (colour: string) => {
      const body = await applicationBody({ photo: await photoOnlyHere(colour) });
      const res = await env().api.post(`/api/v1/communities/${slug}/helper-applications`, body, applicant.auth);
      assert.equal(res.status, 201);
      return res.body.application;
    };
    const served = async (url: string) => (await env().app.inject({ method: "GET", url })).statusCode;
    const first = await apply("#b1c2d3");
    const decision = { decision: "changes", reason: "Please use a clearer photo." };
    assert.equal(
      (await env().api.post(`/api/v1/helper-applications/${first.id}/decision`, decision, admin.auth)).status,
      200,
    );
    const second = await apply("#c1d2e3");
    assert.notEqual(second.photoUrl, first.photoUrl);
    assert.deepEqual([await served(first.photoUrl), await served(second.photoUrl)], [404, 200]);
  });

  test("an upload that is not an image, or too large, is refused and nothing is written", async () => {
    const { slug, community } = await buildCommunity(env());
    const applicant = await buildUser(env());
    const text = await env().api.post(
      `/api/v1/communities/${slug}/helper-applications`,
      await applicationBody({ photo: { data: Buffer.from("GIF89a not really").toString("base64") } }),
      applicant.auth,
    );
    assert.equal(text.status, 422);
    assert.match(text.body.error.fields.photo, /JPEG, PNG or WebP/);
    const gif = await env().api.post(
      `/api/v1/communities/${slug}/helper-applications`,
      await applicationBody({ photo: { data: (await image("png")).toString("base64").slice(0, 40) } }),
      applicant.auth,
    );
    assert.equal(gif.status, 422, "a truncated image is not an image");
    const tooBig = Buffer.alloc(MARKET_LIMITS.photoBytes + 300_000, 0x41).toString("base64");
    const huge = await env().api.post(
      `/api/v1/communities/${slug}/helper-applications`,
      await applicationBody({ photo: { data: tooBig } }),
      applicant.auth,
    );
    assert.equal(huge.status, 413, "beyond the request size limit");
    const rows = await env()
      .deps.db.selectFrom("helpers")
      .selectAll()
      .where("communityId", "=", community.id)
      .execute();
    assert.equal(rows.length, 0);
  });

  test("a real photo of more than a megabyte goes through the JSON API and is re-encoded small", async () => {
    const { slug } = await buildCommunity(env());
    const applicant = await buildUser(env());
    // Random pixels do not compress: an 800x600 PNG of noise is about 1.4 MB.
    const noise = randomBytes(800 * 600 * 3);
    const big = await sharp(noise, { raw: { width: 800, height: 600, channels: 3 } })
      .png()
      .toBuffer();
    assert.ok(big.length > 1_000_000, `test photo is ${big.length} bytes`);
    const res = await env().api.post(
      `/api/v1/communities/${slug}/helper-applications`,
      await applicationBody({ photo: { data: big.toString("base64") } }),
      applicant.auth,
    );
    assert.equal(res.status, 201, JSON.stringify(res.body));
  });

  test("the questionnaire: applying needs the community's helper course passed", async () => {
    const { slug, admin } = await buildCommunity(env());
    const applicant = await buildUser(env());
    const course = await env().api.post(
      `/api/v1/communities/${slug}/courses`,
      {
        title: "Service friend questionnaire",
        passMark: 100,
        questions: [
          {
            text: "Which port takes the fibre cable?",
            kind: "single",
            options: [{ text: "WAN", correct: true }, { text: "USB" }],
          },
        ],
      },
      admin.auth,
    );
    assert.equal(
      (
        await env().api.patch(
          `/api/v1/communities/${slug}/marketplace-settings`,
          { helperCourseId: course.body.course.id },
          admin.auth,
        )
      ).status,
      200,
    );
    const refused = await env().api.post(
      `/api/v1/communities/${slug}/helper-applications`,
      await applicationBody(),
      applicant.auth,
    );
    assert.equal(refused.status, 403);
    assert.match(refused.body.error.message, /questionnaire/);
    const question = course.body.course.questions[0];
    const wan = question.options.find((o: any) => o.text === "WAN").id;
    const attempt = await env().api.post(
      `/api/v1/courses/${course.body.course.id}/attempts`,
      { answers: [{ questionId: question.id, optionIds: [wan] }] },
      applicant.auth,
    );
    assert.equal(attempt.body.passed, true);
    assert.equal(
      (await env().api.post(`/api/v1/communities/${slug}/helper-applications`, await applicationBody(), applicant.auth))
        .status,
      201,
    );
  });
});
