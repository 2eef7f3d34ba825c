import type { FastifyInstance } from "fastify";
import type { Deps } from "../core/deps.ts";
import { idParams, slugParams } from "../http/api.ts";
import { forbidden, notFound } from "../core/errors.ts";
import { pageContext } from "../web/layout.ts";
import { pathParams, requireActor, sendPage } from "../web/page.ts";
import { blankForm, submitForm, type FormValues } from "../web/forms.ts";
import * as academy from "./academy.service.ts";

import { attemptBody, createCourseBody } from "./academy.schema.ts";
import { parseLessons, parseQuestions } from "./academy.format.ts";
import { courseListView, courseView, newCourseView } from "./academy.views.ts";
import { signedInCommunityPage } from "../communities/community-page.ts";
import { communityAccess } from "../communities/communities.access.ts";
import { can } from "../access/privileges.ts";

const courseParams = slugParams.extend({ id: idParams.shape.id });
const number = (value: string | undefined) => (value?.trim() ? Number(value) : undefined);

/** The course form's text to the API's shape. */
function courseInput(v: FormValues) {
  return {
    title: v.title,
    description: v.description,
    passMark: number(v.passMark),
    maxAttempts: number(v.maxAttempts),
    cooldownMinutes: number(v.cooldownMinutes),
    validityDays: number(v.validityDays) ?? null,
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

/** The academy's pages: course list, course with lessons and quiz, course creation for staff. */
export function registerAcademyPages(app: FastifyInstance, deps: Deps): void {
  app.get("/c/:slug/academy", async (req, reply) => {
    const page = pageContext(req, reply, deps);
    const access = await communityAccess(deps, { slug: pathParams(slugParams, req.params).slug }, page.actor);
    return sendPage(page, courseListView(page, access.community, await academy.listCourses(deps, access)));
  });

  app.get("/c/:slug/academy/new", async (req, reply) => {
    const { page, access } = await signedInCommunityPage(deps, req, reply);
    if (!can(access, "course.create")) throw forbidden(page.t("academy.staffOnly"));
    return sendPage(page, newCourseView(page, access.community, blankForm()));
  });

  app.post("/c/:slug/academy/new", async (req, reply) => {
    const { page, access } = await signedInCommunityPage(deps, req, reply);
    return submitForm(page, {
      schema: createCourseBody,
      toInput: courseInput,
      run: async (input) => (await academy.createCourse(deps, access, input)).url,
      rerender: (form) => newCourseView(page, access.community, form),
    });
  });

  app.get("/c/:slug/academy/:id", async (req, reply) => {
    const page = pageContext(req, reply, deps);
    const { slug, id } = pathParams(courseParams, req.params);
    const { access, course } = await academy.getCourse(deps, id, page.actor);
    if (access.community.slug !== slug) throw notFound("Course");
    return sendPage(page, courseView(page, access.community, course));
  });

  app.post("/c/:slug/academy/:id/attempt", async (req, reply) => {
    const page = pageContext(req, reply, deps);
    const actor = requireActor(page);
    const { slug, id } = pathParams(courseParams, req.params);
    return submitForm(page, {
      schema: attemptBody,
      toInput: answersInput,
      run: async (input) => {
        await academy.submitAttempt(deps, id, actor, input);
        return `/c/${slug}/academy/${id}#quiz-title`;
      },
    });
  });
}
