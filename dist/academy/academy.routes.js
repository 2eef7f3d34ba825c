import { defineApi, idParams, slugParams } from "../http/api.js";
import * as academy from "./academy.service.js";
import { attemptBody, createCourseBody } from "./academy.schema.js";
import { communityAccess } from "../communities/index.js";
export function academyRoutes(deps) {
    return [
        defineApi({
            method: "GET",
            path: "/communities/:slug/courses",
            tag: "academy",
            summary: "Courses of a community, with the viewer's certifications",
            params: slugParams,
            handler: async ({ actor, params }) => academy.listCourses(deps, await communityAccess(deps, { slug: params.slug }, actor)),
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
