import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, buildUser, describeEachDatabase } from "../helpers.ts";
import { browse, getPage, postForm } from "../web/web-helpers.ts";

/** The course form as staff fill it in: lessons and questions in the form's plain-text formats. */
const COURSE_FORM = {
  title: "TV basics",
  description: "What every TV set-up helper must know.",
  passMark: "100",
  maxAttempts: "2",
  cooldownMinutes: "0",
  validityDays: "",
  lessons: "# Cables\nThe **HDMI** cable goes from the box to the TV.",
  questions: [
    "? Which cable carries the picture?",
    "* HDMI",
    "- Power",
    "?? Which are needed?",
    "* Internet",
    "* Remote",
  ].join("\n"),
};

describeEachDatabase("academy pages", (env) => {
  test("course creation is for staff: log in first, members get 403, the form re-renders or creates", async () => {
    const { slug, admin, members } = await buildCommunity(env(), { members: { member: 1 } });
    const url = `/c/${slug}/academy/new`;
    const anonymous = await getPage(env(), url);
    assert.equal(anonymous.status, 401);
    assert.match(anonymous.body, new RegExp(`href="/login\\?next=%2Fc%2F${slug}%2Facademy%2Fnew"`));
    const [member] = members.member;
    assert.doesNotMatch((await getPage(env(), `/c/${slug}/academy`, member)).body, /academy\/new/);
    assert.equal((await getPage(env(), url, member)).status, 403);
    assert.equal((await (await browse(env(), member)).submit(url, COURSE_FORM)).status, 403);

    const staff = await browse(env(), admin);
    assert.match((await staff.get(`/c/${slug}/academy`)).body, new RegExp(`href="${url}"`));
    assert.equal((await staff.get(url)).status, 200);
    const incomplete = await staff.submit(url, { ...COURSE_FORM, questions: "" });
    assert.equal(incomplete.status, 422);
    assert.match(incomplete.body, /value="TV basics"/, "the form comes back with what was typed");
    // Text the format cannot place is shown as a mistake, never dropped (it was saved without it).
    const headless = await staff.submit(url, { ...COURSE_FORM, lessons: "Lesson text without a heading" });
    assert.equal(headless.status, 422);
    assert.match(headless.body, /id="lessons-error">[^<]*Start each lesson with a line/);
    const stray = await staff.submit(url, { ...COURSE_FORM, questions: `${COURSE_FORM.questions}\nstray line` });
    assert.equal(stray.status, 422);
    assert.match(stray.body, /id="questions-error">[^<]*one right answer/);
    const created = await staff.submit(url, COURSE_FORM);
    assert.equal(created.status, 303);
    assert.match(String(created.headers.location), new RegExp(`^/c/${slug}/academy/\\d+$`));
    assert.match((await staff.get(String(created.headers.location))).body, /<h1>TV basics<\/h1>/);
  });

  test("members take the quiz on the course page; a course under another community's address is not found", async () => {
    const { slug, admin, members } = await buildCommunity(env(), { members: { member: 1 } });
    const created = await (await browse(env(), admin)).submit(`/c/${slug}/academy/new`, {
      ...COURSE_FORM,
      validityDays: "730",
    });
    const url = String(created.headers.location);
    const { course } = (await env().api.get(`/api/v1/courses/${url.split("/").pop()}`)).body;
    const option = (question: number, text: string) =>
      course.questions[question].options.find((o: { text: string }) => o.text === text).id;
    const [single, multiple] = course.questions.map((q: { id: number }) => q.id);

    assert.match(
      (await getPage(env(), url)).body,
      new RegExp(`<a href="/login\\?next=${encodeURIComponent(url)}">Log in to take the quiz.</a>`),
      "a link back to the course after logging in",
    );
    assert.equal((await postForm(env(), `${url}/attempt`, { [`q${single}`]: "1" })).status, 401);
    const member = await browse(env(), members.member[0]);
    const answered = await member.submit(`${url}/attempt`, {
      [`q${single}`]: String(option(0, "HDMI")),
      [`q${multiple}-${option(1, "Internet")}`]: "1",
      [`q${multiple}-${option(1, "Remote")}`]: "1",
    });
    assert.equal(answered.status, 303);
    assert.equal(answered.headers.location, `${url}#quiz-title`);
    const certified = (await member.get(url)).body;
    assert.match(certified, /Certified/);
    // Two years from the test clock's 2026-01-01, as a date (not "Valid until in 2 years").
    assert.match(certified, /Valid until <time datetime="2028-01-01"[^>]*>January 1, 2028<\/time>/);

    const other = await buildCommunity(env());
    assert.equal((await getPage(env(), url.replace(slug, other.slug))).status, 404);
    const attempts = await env().deps.db.selectFrom("quizAttempts").select("id").execute();
    const newcomer = await browse(env(), await buildUser(env()));
    const elsewhere = await newcomer.submit(`${url.replace(slug, other.slug)}/attempt`, {});
    assert.equal(elsewhere.status, 404, "an attempt under another community's address is not recorded");
    assert.equal((await env().deps.db.selectFrom("quizAttempts").select("id").execute()).length, attempts.length);
  });
});
