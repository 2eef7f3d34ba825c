import type { Deps } from "../core/deps.ts";
import { defineApi, idParams, slugParams } from "../http/api.ts";
import * as academy from "./academy.service.ts";
import { attemptBody, createCourseBody } from "./academy.schema.ts";
import { communityAccess } from "../communities/index.ts";

export function academyRoutes(deps: Deps) {
  return [
    defineApi({
      method: "GET",
      path: "/communities/:slug/courses",
      tag: "academy",
      summary: "Courses of a community, with the viewer's certifications",
      params: slugParams,
      handler: async ({ actor, params }) =>
        academy.listCourses(deps, await communityAccess(deps, { slug: params.slug }, actor)),
    }),
    defineApi({
      method: "POST",
      path: "/communities/:slug/courses",
      tag: "academy",
      summary: "Create a course with lessons and a quiz (staff)",
      auth: "required",
      params: slugParams,
      body: createCourseBody,
      status: 201,
      handler: async ({ actor, params, body }) => ({
        course: await academy.createCourse(deps, await communityAccess(deps, { slug: params.slug }, actor), body),
      }),
    }),
    defineApi({
      method: "GET",
      path: "/courses/:id",
      tag: "academy",
      summary: "A course: lessons, quiz questions without the right answers, the viewer's attempts",
      params: idParams,
      handler: async ({ actor, params }) => ({ course: (await academy.getCourse(deps, params.id, actor)).course }),
    }),
    defineApi({
      method: "POST",
      path: "/courses/:id/attempts",
      tag: "academy",
      summary: "Submit quiz answers; scored on the server, passing grants the certification",
      auth: "required",
      params: idParams,
      body: attemptBody,
      status: 201,
      handler: async ({ actor, params, body }) => academy.submitAttempt(deps, params.id, actor, body),
    }),
  ];
}
