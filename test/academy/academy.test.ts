import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, describeEachDatabase, type TestEnv, type TestUser } from "../helpers.ts";
import { certificationsOf } from "../../src/academy/academy.service.ts";
import { getPage } from "../web/web-helpers.ts";

const QUIZ = {
  title: "TV basics",
  description: "What every TV set-up helper must know.",
  passMark: 75,
  maxAttempts: 2,
  cooldownMinutes: 30,
  validityDays: 365,
  lessons: [
    { title: "Cables", body: "The **HDMI** cable goes from the box to the TV." },
    { title: "First start", body: "Follow the on-screen steps." },
  ],
  questions: [
    {
      text: "Which cable carries the picture?",
      kind: "single",
      options: [{ text: "HDMI", correct: true }, { text: "Power" }, { text: "USB" }],
    },
    {
      text: "Which are needed for the first start?",
      kind: "multiple",
      options: [{ text: "Internet", correct: true }, { text: "Remote", correct: true }, { text: "A printer" }],
    },
  ],
};

async function createCourse(env: TestEnv, slug: string, admin: TestUser, body: Record<string, unknown> = QUIZ) {
  const res = await env.api.post(`/api/v1/communities/${slug}/courses`, body, admin.auth);
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.course;
}

/** Answers by option text: the right answers, or the given picks per question. */
function answers(course: any, picks: string[][]) {
  return course.questions.map((q: any, i: number) => ({
    questionId: q.id,
    optionIds: q.options.filter((o: any) => picks[i].includes(o.text)).map((o: any) => o.id),
  }));
}
const RIGHT = [["HDMI"], ["Internet", "Remote"]];
const WRONG = [["USB"], ["Internet"]];

describeEachDatabase("academy", (env) => {
  test("the pass mark is reached on the exact share: 2 of 3 right (66.7%, shown as 67) fails a pass mark of 67", async () => {
    const { slug, admin, members, community } = await buildCommunity(env(), { members: { member: 1 } });
    const single = (text: string) => ({
      text,
      kind: "single",
      options: [{ text: "Right", correct: true }, { text: "Wrong" }],
    });
    const course = await createCourse(env(), slug, admin, {
      ...QUIZ,
      passMark: 67,
      cooldownMinutes: 0,
      questions: [single("One?"), single("Two?"), single("Three?")],
    });
    const attempt = (picks: string[][]) =>
      env().api.post(
        `/api/v1/courses/${course.id}/attempts`,
        { answers: answers(course, picks) },
        members.member[0].auth,
      );
    const short = await attempt([["Right"], ["Right"], ["Wrong"]]);
    assert.equal(short.status, 201, JSON.stringify(short.body));
    assert.deepEqual([short.body.score, short.body.passed], [67, false]);
    const held = () => certificationsOf(env().deps.db, community.id, members.member[0].id, env().clock.now());
    assert.deepEqual(await held(), []);
    const full = await attempt([["Right"], ["Right"], ["Right"]]);
    assert.deepEqual([full.body.score, full.body.passed], [100, true]);
    assert.equal((await held()).length, 1);
  });

  test("staff create a course; members read lessons and a quiz without the right answers", async () => {
    const { slug, admin, members } = await buildCommunity(env(), { members: { member: 1 } });
    const course = await createCourse(env(), slug, admin);
    const res = await env().api.get(`/api/v1/courses/${course.id}`, members.member[0].auth);
    assert.equal(res.status, 200);
    assert.deepEqual(
      res.body.course.lessons.map((l: any) => l.title),
      ["Cables", "First start"],
    );
    assert.match(res.body.course.lessons[0].bodyHtml, /<strong>HDMI<\/strong>/);
    assert.ok(!JSON.stringify(res.body).includes("correct"), "no field reveals the right answers");
    assert.equal(res.body.course.me.attemptsLeft, 2);
    const list = await env().api.get(`/api/v1/communities/${slug}/courses`);
    assert.deepEqual(
      list.body.courses.map((c: any) => c.title),
      ["TV basics"],
    );
    assert.equal(
      (await env().api.post(`/api/v1/communities/${slug}/courses`, QUIZ, members.member[0].auth)).status,
      403,
    );
  });

  test("a quiz needs consistent questions: one right option for single choice, at least one for multiple", async () => {
    const { slug, admin, community } = await buildCommunity(env());
    const bad = {
      ...QUIZ,
      questions: [
        {
          text: "Pick",
          kind: "single",
          options: [
            { text: "A", correct: true },
            { text: "B", correct: true },
          ],
        },
      ],
    };
    const res = await env().api.post(`/api/v1/communities/${slug}/courses`, bad, admin.auth);
    assert.equal(res.status, 422);
    assert.ok(res.body.error.fields["questions.0.options"]);
    const none = { ...QUIZ, questions: [{ text: "Pick", kind: "multiple", options: [{ text: "A" }, { text: "B" }] }] };
    assert.equal((await env().api.post(`/api/v1/communities/${slug}/courses`, none, admin.auth)).status, 422);
    assert.equal(
      (await env().deps.db.selectFrom("courses").selectAll().where("communityId", "=", community.id).execute()).length,
      0,
    );
  });

  test("scored on the server; the pass mark, a cooldown between attempts and the attempt limit", async () => {
    const { slug, admin, members } = await buildCommunity(env(), { members: { member: 1 } });
    const [member] = members.member;
    const course = await createCourse(env(), slug, admin, { ...QUIZ, showMistakes: false });
    assert.equal(course.showMistakes, false);
    const first = await env().api.post(
      `/api/v1/courses/${course.id}/attempts`,
      { answers: answers(course, WRONG) },
      member.auth,
    );
    assert.equal(first.status, 201);
    assert.deepEqual([first.body.score, first.body.passed], [0, false]);
    const soon = await env().api.post(
      `/api/v1/courses/${course.id}/attempts`,
      { answers: answers(course, RIGHT) },
      member.auth,
    );
    assert.equal(soon.status, 429, "within the cooldown");
    env().clock.advance(31 * 60_000);
    const half = await env().api.post(
      `/api/v1/courses/${course.id}/attempts`,
      { answers: answers(course, [["HDMI"], ["Internet"]]) },
      member.auth,
    );
    assert.deepEqual([half.body.score, half.body.passed, half.body.attemptsLeft], [50, false, 0]);
    assert.equal(half.body.results, null, "this course shows no per-question feedback before a pass");
    const after = await env().api.get(`/api/v1/courses/${course.id}`, member.auth);
    assert.equal(after.body.course.me.lastMistakes, null);
    env().clock.advance(31 * 60_000);
    const spent = await env().api.post(
      `/api/v1/courses/${course.id}/attempts`,
      { answers: answers(course, RIGHT) },
      member.auth,
    );
    assert.equal(spent.status, 409, "no attempts left");
    assert.equal(
      (await env().deps.db.selectFrom("quizAttempts").selectAll().where("courseId", "=", course.id).execute()).length,
      2,
    );
  });

  test("with no attempts left, no next attempt is promised (API and page)", async () => {
    const { slug, admin, members } = await buildCommunity(env(), { members: { member: 1 } });
    const [member] = members.member;
    const course = await createCourse(env(), slug, admin, { ...QUIZ, maxAttempts: 1, cooldownMinutes: 30 });
    const failed = await env().api.post(
      `/api/v1/courses/${course.id}/attempts`,
      { answers: answers(course, WRONG) },
      member.auth,
    );
    assert.deepEqual([failed.body.passed, failed.body.attemptsLeft], [false, 0]);
    const { me } = (await env().api.get(`/api/v1/courses/${course.id}`, member.auth)).body.course;
    assert.deepEqual([me.attemptsLeft, me.canAttempt, me.nextAttemptAt], [0, false, null]);
    const page = await getPage(env(), `/c/${slug}/academy/${course.id}`, member);
    assert.match(page.body, /Attempts left: 0\./);
    assert.doesNotMatch(page.body, /Next attempt possible/);
  });

  test("a failed attempt names the questions answered wrong, never the right options, where the course shows mistakes", async () => {
    const { slug, admin, members } = await buildCommunity(env(), { members: { member: 1 } });
    const [member] = members.member;
    const course = await createCourse(env(), slug, admin);
    assert.equal(course.showMistakes, true, "on by default for new courses");
    const [single, multiple] = course.questions.map((q: { id: number }) => q.id);
    const failed = await env().api.post(
      `/api/v1/courses/${course.id}/attempts`,
      { answers: answers(course, [["HDMI"], ["Internet"]]) },
      member.auth,
    );
    assert.deepEqual([failed.body.score, failed.body.passed], [50, false]);
    assert.deepEqual(failed.body.results, [
      { questionId: single, correct: true },
      { questionId: multiple, correct: false },
    ]);
    const read = await env().api.get(`/api/v1/courses/${course.id}`, member.auth);
    assert.deepEqual(read.body.course.me.lastMistakes, [multiple]);
    assert.ok(!JSON.stringify(read.body).includes("correct"), "still no field reveals the right options");
    const page = await getPage(env(), `/c/${slug}/academy/${course.id}`, member);
    assert.match(
      page.body,
      /You answered 1 question wrong last time:<\/p><ul class="quiz-mistakes"><li>2\. Which are needed for the first start\?<\/li><\/ul>/,
    );
    env().clock.advance(31 * 60_000);
    const retry = await getPage(env(), `/c/${slug}/academy/${course.id}`, member);
    assert.equal(retry.body.split('class="quiz-mistake"').length - 1, 1, "the quiz marks the one question");
    assert.match(retry.body, /class="quiz-mistake"><legend>2\. Which are needed for the first start\?/);

    const passed = await env().api.post(
      `/api/v1/courses/${course.id}/attempts`,
      { answers: answers(course, RIGHT) },
      member.auth,
    );
    assert.equal(passed.body.passed, true);
    const certified = await env().api.get(`/api/v1/courses/${course.id}`, member.auth);
    assert.equal(certified.body.course.me.lastMistakes, null, "nothing to mark once passed");
  });

  test("passing grants a certification with its validity, shown by certificationsOf; it expires", async () => {
    const { slug, admin, members, community } = await buildCommunity(env(), { members: { member: 1 } });
    const [member] = members.member;
    const course = await createCourse(env(), slug, admin);
    const res = await env().api.post(
      `/api/v1/courses/${course.id}/attempts`,
      { answers: answers(course, RIGHT) },
      member.auth,
    );
    assert.deepEqual([res.body.score, res.body.passed], [100, true]);
    assert.equal(res.body.certification.expiresAt, new Date(env().clock.now() + 365 * 24 * 3600_000).toISOString());
    const held = await certificationsOf(env().deps.db, community.id, member.id, env().clock.now());
    assert.deepEqual(
      held.map((c) => c.title),
      ["TV basics"],
    );
    assert.equal(
      (await env().api.post(`/api/v1/courses/${course.id}/attempts`, { answers: answers(course, RIGHT) }, member.auth))
        .status,
      409,
      "already certified",
    );
    assert.deepEqual(
      await certificationsOf(env().deps.db, community.id, member.id, env().clock.now() + 366 * 24 * 3600_000),
      [],
    );
  });

  test("answers for another course's question, foreign options or two picks on a single choice are refused", async () => {
    const { slug, admin, members } = await buildCommunity(env(), { members: { member: 1 } });
    const [member] = members.member;
    const course = await createCourse(env(), slug, admin);
    const other = await createCourse(env(), slug, admin, { ...QUIZ, title: "Wi-Fi basics" });
    const foreign = await env().api.post(
      `/api/v1/courses/${course.id}/attempts`,
      { answers: answers(other, RIGHT) },
      member.auth,
    );
    assert.equal(foreign.status, 422);
    assert.ok(foreign.body.error.fields["answers.0.questionId"]);
    const mixed = [{ questionId: course.questions[0].id, optionIds: [other.questions[0].options[0].id] }];
    assert.equal(
      (await env().api.post(`/api/v1/courses/${course.id}/attempts`, { answers: mixed }, member.auth)).status,
      422,
    );
    const two = [
      { questionId: course.questions[0].id, optionIds: course.questions[0].options.slice(0, 2).map((o: any) => o.id) },
    ];
    assert.equal(
      (await env().api.post(`/api/v1/courses/${course.id}/attempts`, { answers: two }, member.auth)).status,
      422,
    );
    assert.equal(
      (await env().deps.db.selectFrom("quizAttempts").selectAll().where("userId", "=", member.id).execute()).length,
      0,
      "refused attempts do not count",
    );
  });

  test("a private community's course is not found for outsiders", async () => {
    const { admin, slug } = await buildCommunity(env(), { visibility: "private", members: { member: 1 } });
    const course = await createCourse(env(), slug, admin);
    const outsider = (await buildCommunity(env())).admin;
    assert.equal((await env().api.get(`/api/v1/courses/${course.id}`, outsider.auth)).status, 404);
    assert.equal(
      (await env().api.post(`/api/v1/courses/${course.id}/attempts`, { answers: [] }, outsider.auth)).status,
      404,
    );
    const missing = await env().api.get("/api/v1/courses/2000000", outsider.auth);
    assert.deepEqual(
      (await env().api.get(`/api/v1/courses/${course.id}`, outsider.auth)).body,
      missing.body,
      "the same answer as a course that does not exist",
    );
    const page = await getPage(env(), `/c/${slug}/academy/${course.id}`, outsider);
    assert.equal(page.status, 404);
    assert.match(page.body, /Course not found/);
  });
});

describeEachDatabase("certifications on the member profile", (env) => {
  test("passing a course shows the certification and its validity on the profile (API and page)", async () => {
    const { slug, admin, members } = await buildCommunity(env(), { members: { member: 2 } });
    const [learner, other] = members.member;
    const course = await createCourse(env(), slug, admin);
    const profile = () => env().api.get(`/api/v1/communities/${slug}/members/${learner.id}/profile`, other.auth);
    assert.deepEqual((await profile()).body.profile.certifications, []);
    assert.equal(
      (await env().api.post(`/api/v1/courses/${course.id}/attempts`, { answers: answers(course, RIGHT) }, learner.auth))
        .body.passed,
      true,
    );
    const [cert] = (await profile()).body.profile.certifications;
    assert.equal(cert.title, "TV basics");
    assert.equal(Date.parse(cert.expiresAt) - Date.parse(cert.grantedAt), 365 * 86_400_000);
    const page = await env().app.inject({ url: `/c/${slug}/u/${learner.id}` });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<h2 id="certs-title">Certifications<\/h2>[\s\S]*TV basics/);
  });
});
