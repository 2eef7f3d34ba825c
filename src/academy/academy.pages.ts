import type { Actor, Deps } from "../core/deps.ts";
import { idParams, slugParams } from "../http/api.ts";
import { forbidden, notFound } from "../core/errors.ts";
import { inCommunity } from "../communities/index.ts";
import type { PageContext } from "../web/layout.ts";
import { blankForm, type FormErrors, type FormState, type FormValues, formNumber } from "../web/forms.ts";
import { dateTime, dateTimeWithHint } from "../i18n/time-format.ts";
import { suspensionOf } from "../access/access.ts";
import { definePage, defineForm, type PageRoute } from "../web/page-route.ts";
import * as academy from "./academy.service.ts";
import { academyAbilities } from "./academy.policy.ts";
import { attemptBody, createCourseBody } from "./academy.schema.ts";
import { parseLessons, parseQuestions } from "./academy.format.ts";
import { courseListView, courseView, newCourseView } from "./academy.views.ts";

const courseParams = slugParams.extend({ id: idParams.shape.id });

/** The course form's text to the API's shape. */
function courseInput(v: FormValues) {
  return {
    title: v.title,
    description: v.description,
    passMark: formNumber(v.passMark),
    maxAttempts: formNumber(v.maxAttempts),
    cooldownMinutes: formNumber(v.cooldownMinutes),
    validityDays: formNumber(v.validityDays) ?? null,
    showMistakes: v.showMistakes !== "0",
    lessons: parseLessons(v.lessons ?? ""),
    questions: parseQuestions(v.questions ?? ""),
  };
}

/** Quiz fields to answers: "q12" = option id (single choice), "q12-34" = ticked option (multiple choice). */
function answersInput(v: FormValues) {
  const answers = new Map<number, number[]>();
  for (const [name, value] of Object.entries(v)) {
    const match = /^q(\d+)(?:-(\d+))?$/.exec(name);
    if (!match) continue;
    const questionId = Number(match[1]);
    const optionId = Number(match[2] ?? value);
    answers.set(questionId, [...(answers.get(questionId) ?? []), optionId]);
  }
  return { answers: [...answers].map(([questionId, optionIds]) => ({ questionId, optionIds })) };
}

/**
 * A refused attempt's message for the whole form in the reader's language: the forms layer words a
 * rate limit generically, so the wait names the time the member may try again, from their standing.
 */
function attemptErrors(
  page: PageContext,
  course: Awaited<ReturnType<typeof academy.getCourse>>["course"],
  form: FormState,
): FormErrors {
  const next = course.me?.nextAttemptAt;
  if (form.errors._form !== page.t("error.rateLimited") || !next) return form.errors;
  const time = dateTime(page.locale, Date.parse(next), page.timeZone);
  return { ...form.errors, _form: page.t("academy.error.wait", { time }) };
}

/**
 * The load step of course creation: the community, for those who may create courses (403 for anyone
 * else; suspended staff are told until when and why, as posting tells them).
 */
const asCourseAuthor =
  (deps: Deps) => async (input: { params: { slug: string }; actor: Actor | null; page: PageContext }) => {
    const access = await inCommunity(deps)(input);
    if (academyAbilities(access).create) return access;
    const suspension = suspensionOf(access);
    throw forbidden(
      suspension
        ? input.page.t("post.suspended", {
            until: dateTimeWithHint(input.page, suspension.until),
            reason: suspension.reason,
          })
        : input.page.t("academy.staffOnly"),
    );
  };

/**
 * The load step of a course's page and quiz: the course under its own community's address only
 * (another community's address is not found, nothing recorded), and that community's time zone
 * for the page's times (the next attempt, the validity).
 */
const courseHere =
  (deps: Deps) =>
  async ({ params: { slug, id }, actor }: { params: { slug: string; id: number }; actor: Actor | null }) => {
    const found = await academy.getCourse(deps, id, actor);
    if (found.access.community.slug !== slug) throw notFound("Course");
    return found;
  };

/** The academy's pages: course list, course with lessons and quiz, course creation for staff. */
export function academyPages(deps: Deps): PageRoute[] {
  return [
    definePage(deps, {
      path: "/c/:slug/academy",
      params: slugParams,
      load: inCommunity(deps),
      render: async ({ page, context: access }) =>
        courseListView(page, access.community, await academy.listCourses(deps, access)),
    }),

    definePage(deps, {
      path: "/c/:slug/academy/new",
      params: slugParams,
      auth: "required",
      load: asCourseAuthor(deps),
      render: async ({ page, context: access }) => newCourseView(page, access.community, blankForm()),
    }),

    defineForm(deps, {
      path: "/c/:slug/academy/new",
      params: slugParams,
      load: asCourseAuthor(deps),
      schema: createCourseBody,
      toInput: courseInput,
      run: async ({ context: access, data }) => (await academy.createCourse(deps, access, data)).url,
      rerender: async ({ page, context: access, form }) => newCourseView(page, access.community, form),
    }),

    definePage(deps, {
      path: "/c/:slug/academy/:id",
      params: courseParams,
      load: courseHere(deps),
      render: async ({ page, context: { access, course } }) => courseView(page, access.community, course),
    }),

    defineForm(deps, {
      path: "/c/:slug/academy/:id/attempt",
      params: courseParams,
      load: courseHere(deps),
      schema: attemptBody,
      toInput: answersInput,
      run: async ({ actor, params: { slug, id }, data }) => {
        await academy.submitAttempt(deps, id, actor, data);
        return `/c/${slug}/academy/${id}#quiz-title`;
      },
      // A refused attempt (certified, no attempts left, too soon) records nothing: the quiz again, answers kept.
      rerender: async ({ page, context: { access, course }, form }) =>
        courseView(page, access.community, course, { ...form, errors: attemptErrors(page, course, form) }),
    }),
  ];
}
