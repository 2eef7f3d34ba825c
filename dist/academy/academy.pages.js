import { idParams, slugParams } from "../http/api.js";
import { forbidden, notFound } from "../core/errors.js";
import { inCommunity } from "../communities/index.js";
import { blankForm } from "../web/forms.js";
import { definePage, defineForm } from "../web/page-route.js";
import * as academy from "./academy.service.js";
import { academyAbilities } from "./academy.policy.js";
import { attemptBody, createCourseBody } from "./academy.schema.js";
import { parseLessons, parseQuestions } from "./academy.format.js";
import { courseListView, courseView, newCourseView } from "./academy.views.js";
const courseParams = slugParams.extend({ id: idParams.shape.id });
const number = (value) => (value?.trim() ? Number(value) : undefined);
/** The course form's text to the API's shape. */
function courseInput(v) {
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
function answersInput(v) {
    const answers = new Map();
    for (const [name, value] of Object.entries(v)) {
        const match = /^q(\d+)(?:-(\d+))?$/.exec(name);
        if (!match)
            continue;
        const questionId = Number(match[1]);
        const optionId = Number(match[2] ?? value);
        answers.set(questionId, [...(answers.get(questionId) ?? []), optionId]);
    }
    return { answers: [...answers].map(([questionId, optionIds]) => ({ questionId, optionIds })) };
}
/** The load step of course creation: the community, for those who may create courses (403 for anyone else). */
const asCourseAuthor = (deps) => async (input) => {
    const access = await inCommunity(deps)(input);
    if (!academyAbilities(access).create)
        throw forbidden(input.page.t("academy.staffOnly"));
    return access;
};
/** The academy's pages: course list, course with lessons and quiz, course creation for staff. */
export function academyPages(deps) {
    return [
        definePage(deps, {
            path: "/c/:slug/academy",
            params: slugParams,
            load: inCommunity(deps),
            render: async ({ page, context: access }) => courseListView(page, access.community, await academy.listCourses(deps, access)),
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
            render: async ({ page, params: { slug, id } }) => {
                const { access, course } = await academy.getCourse(deps, id, page.actor);
                if (access.community.slug !== slug)
                    throw notFound("Course");
                return courseView(page, access.community, course);
            },
        }),
        defineForm(deps, {
            path: "/c/:slug/academy/:id/attempt",
            params: courseParams,
            schema: attemptBody,
            toInput: answersInput,
            run: async ({ actor, params: { slug, id }, data }) => {
                await academy.submitAttempt(deps, id, actor, data);
                return `/c/${slug}/academy/${id}#quiz-title`;
            },
        }),
    ];
}
