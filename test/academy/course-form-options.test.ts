import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, describeEachDatabase } from "../helpers.ts";
import { browse, postForm } from "../web/web-helpers.ts";

const COURSE_FORM = {
  title: "Router basics",
  passMark: "80",
  maxAttempts: "2",
  cooldownMinutes: "0",
  lessons: "# Lights\nA red light means no line.",
};

const QUIZ_START = "? Which light means no line?\n* Red\n- Green\n";

/** The message under the course form's questions field. */
const questionsError = (body: string) => /id="questions-error">([^<]*)</.exec(body)?.[1];

// The options of a question were checked one question at a time: the form could only say "This field
// is required." (one option) or "This value is not valid." (no or too many right ones), in any language.
describeEachDatabase("academy: the course form names the question whose options are wrong", (env) => {
  test("too few options, no right one, several right ones for '? ': which question, what to do", async () => {
    const { slug, admin } = await buildCommunity(env());
    const staff = await browse(env(), admin);
    const cases = [
      ["? Is the box on?\n* Yes", "Question 2: give at least two options"],
      ["? Is the box on?\n* Yes\n* No", "Question 2 (&quot;? &quot;) has one right answer: mark exactly one option"],
      ["?? Which cables?\n- HDMI\n- Power", "Question 2: mark at least one option as right"],
    ];
    for (const [second, message] of cases) {
      const res = await staff.submit(`/c/${slug}/academy/new`, { ...COURSE_FORM, questions: QUIZ_START + second });
      assert.equal(res.status, 422, second);
      assert.match(questionsError(res.body) ?? "", new RegExp(`^${message.replace(/[?()*]/g, "\\$&")}`), second);
    }

    const german = await postForm(
      env(),
      `/c/${slug}/academy/new`,
      { _csrf: staff.csrf, ...COURSE_FORM, questions: `${QUIZ_START}? Is the box on?\n* Yes` },
      staff.cookie,
      { "accept-language": "de" },
    );
    assert.equal(german.status, 422);
    assert.match(questionsError(german.body) ?? "", /^Frage 2: Gib mindestens zwei Optionen an/);
  });

  test("the API keeps its fields and English messages", async () => {
    const { slug, admin } = await buildCommunity(env());
    const question = (kind: string, options: { text: string; correct: boolean }[]) => ({
      text: "Is the box on?",
      kind,
      options,
    });
    const res = await env().api.post(
      `/api/v1/communities/${slug}/courses`,
      {
        title: "Router basics",
        questions: [
          question("single", [{ text: "Yes", correct: true }]),
          question("single", [
            { text: "Yes", correct: true },
            { text: "No", correct: true },
          ]),
          question("multiple", [
            { text: "Yes", correct: false },
            { text: "No", correct: false },
          ]),
        ],
      },
      admin.auth,
    );
    assert.equal(res.status, 422);
    assert.deepEqual(res.body.error.fields, {
      "questions.0.options": "Give at least two options.",
      "questions.1.options":
        "A single-choice question needs exactly one right option, a multiple-choice question at least one.",
      "questions.2.options":
        "A single-choice question needs exactly one right option, a multiple-choice question at least one.",
    });
  });
});
