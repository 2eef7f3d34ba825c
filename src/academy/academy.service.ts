import type { Actor, Deps } from "../core/deps.ts";
import type { Db } from "../db/database.ts";
import { ensureMember } from "../communities/index.ts";
import type { CommunityAccess } from "../access/access.ts";
import { can, requirePrivilege } from "../access/privileges.ts";
import { AppError, notFound, rateLimited, validationFailed } from "../core/errors.ts";
import { renderMarkdown } from "../lib/markdown.ts";
import * as q from "./academy.queries.ts";
import { academyAbilities, attemptState } from "./academy.policy.ts";
import type { AttemptInput, CreateCourseInput } from "./academy.schema.ts";
import { communityAccess } from "../communities/index.ts";
import { lockRows } from "../db/row-locks.ts";
import { iso } from "../lib/iso-time.ts";
import { DAY_MS } from "../lib/durations.ts";

export async function createCourse(deps: Deps, access: CommunityAccess, input: CreateCourseInput) {
  requirePrivilege(access, "course.create", "Only staff can create courses.");
  const now = deps.clock.now();
  const id = await deps.db.transaction().execute(async (trx) => {
    const course = await trx
      .insertInto("courses")
      .values({
        communityId: access.community.id,
        title: input.title,
        description: input.description,
        passMark: input.passMark,
        maxAttempts: input.maxAttempts,
        cooldownMinutes: input.cooldownMinutes,
        validityDays: input.validityDays,
        showMistakes: input.showMistakes ? 1 : 0,
        createdBy: access.actor!.id,
        createdAt: now,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    if (input.lessons.length) {
      await trx
        .insertInto("courseLessons")
        .values(
          input.lessons.map((l, position) => ({
            courseId: course.id,
            position,
            title: l.title,
            body: l.body,
            bodyHtml: renderMarkdown(l.body),
          })),
        )
        .execute();
    }
    for (const [position, question] of input.questions.entries()) {
      const row = await trx
        .insertInto("quizQuestions")
        .values({ courseId: course.id, position, text: question.text, kind: question.kind })
        .returning("id")
        .executeTakeFirstOrThrow();
      await trx
        .insertInto("quizOptions")
        .values(
          question.options.map((o, i) => ({
            questionId: row.id,
            position: i,
            text: o.text,
            correct: o.correct ? 1 : 0,
          })),
        )
        .execute();
    }
    return course.id;
  });
  return (await getCourse(deps, id, access.actor)).course;
}

type CourseRow = NonNullable<Awaited<ReturnType<typeof q.findCourse>>>;

function toPublicCourse(c: CourseRow, slug: string) {
  return {
    id: c.id,
    community: slug,
    title: c.title,
    description: c.description,
    passMark: c.passMark,
    maxAttempts: c.maxAttempts,
    cooldownMinutes: c.cooldownMinutes,
    validityDays: c.validityDays,
    showMistakes: c.showMistakes === 1,
    url: `/c/${slug}/academy/${c.id}`,
  };
}

export async function listCourses(deps: Deps, access: CommunityAccess) {
  const courses = await q.listCourses(deps.db, access.community.id);
  const mine = access.actor
    ? await q.certificationsOfUsers(deps.db, access.community.id, [access.actor.id], deps.clock.now())
    : [];
  const certified = new Set(mine.map((c) => c.courseId));
  return {
    courses: courses.map((c) => ({ ...toPublicCourse(c, access.community.slug), certified: certified.has(c.id) })),
    abilities: academyAbilities(access),
  };
}

export async function courseWithAccess(deps: Deps, id: number, actor: Actor | null) {
  const course = await q.findCourse(deps.db, id);
  if (!course) throw notFound("Course");
  const access = await communityAccess(deps, { id: course.communityId }, actor, "Course");
  return { course, access };
}

/** The member's standing in a course: their valid certification and what attempts remain. */
async function standing(db: Db, course: CourseRow, userId: number, now: number) {
  const held = await q.certification(db, course.id, userId);
  const certified = !!held && (held.expiresAt === null || held.expiresAt > now);
  const attempts = await q.countedAttempts(db, course.id, userId, held?.grantedAt ?? 0);
  return { held, certified, attempts, ...attemptState(course, attempts, certified, now) };
}

/** The questions answered wrong in the member's last attempt, if it failed and the course shows mistakes. */
function lastMistakes(
  course: CourseRow,
  content: Awaited<ReturnType<typeof q.courseContent>>,
  me: Awaited<ReturnType<typeof standing>>,
): number[] | null {
  const last = me.attempts[0];
  if (course.showMistakes !== 1 || me.certified || !last || last.passed) return null;
  const stored = JSON.parse(last.answers) as Record<string, number[]>;
  const chosen = new Map(Object.entries(stored).map(([id, options]) => [Number(id), new Set(options)]));
  return score(content, chosen, course.passMark)
    .results.filter((r) => !r.correct)
    .map((r) => r.questionId);
}

/** A course with its lessons and quiz; options come without the right answers. */
export async function getCourse(deps: Deps, id: number, actor: Actor | null) {
  const { course, access } = await courseWithAccess(deps, id, actor);
  const content = await q.courseContent(deps.db, id);
  const me = actor ? await standing(deps.db, course, actor.id, deps.clock.now()) : null;
  return {
    access,
    course: {
      ...toPublicCourse(course, access.community.slug),
      lessons: content.lessons.map((l) => ({ id: l.id, title: l.title, body: l.body, bodyHtml: l.bodyHtml })),
      questions: content.questions.map((question) => ({
        id: question.id,
        text: question.text,
        kind: question.kind,
        options: content.options.filter((o) => o.questionId === question.id).map((o) => ({ id: o.id, text: o.text })),
      })),
      me: me && {
        certified: me.certified,
        certification: me.held ? { grantedAt: iso(me.held.grantedAt), expiresAt: iso(me.held.expiresAt) } : null,
        attemptsUsed: me.attempts.length,
        attemptsLeft: me.attemptsLeft,
        nextAttemptAt: iso(me.nextAttemptAt),
        lastScore: me.attempts[0]?.score ?? null,
        /** The questions the last failed attempt got wrong, where the course shows mistakes; else null. */
        lastMistakes: lastMistakes(course, content, me),
        canAttempt: can(access, "course.attempt") && me.canAttempt,
      },
    },
  };
}

/** Checks that every answer names a question of this course and options of that question. */
function checkAnswers(
  content: Awaited<ReturnType<typeof q.courseContent>>,
  answers: AttemptInput["answers"],
): Map<number, Set<number>> {
  const questions = new Map(content.questions.map((question) => [question.id, question]));
  const chosen = new Map<number, Set<number>>();
  for (const [index, answer] of answers.entries()) {
    const question = questions.get(answer.questionId);
    if (!question)
      throw validationFailed({ [`answers.${index}.questionId`]: "This question is not part of this course." });
    if (chosen.has(question.id))
      throw validationFailed({ [`answers.${index}.questionId`]: "Answer each question once." });
    const optionIds = new Set(answer.optionIds);
    const valid = new Set(content.options.filter((o) => o.questionId === question.id).map((o) => o.id));
    if ([...optionIds].some((o) => !valid.has(o)))
      throw validationFailed({ [`answers.${index}.optionIds`]: "These options do not belong to this question." });
    if (question.kind === "single" && optionIds.size > 1)
      throw validationFailed({ [`answers.${index}.optionIds`]: "Choose one option." });
    chosen.set(question.id, optionIds);
  }
  return chosen;
}

/**
 * Scores on the server: a question counts when exactly its right options are chosen. Whether the
 * attempt passes is decided on the exact share, never on the rounded percent shown (2 of 3 right
 * is 67% on screen but does not reach a pass mark of 67).
 */
function score(
  content: Awaited<ReturnType<typeof q.courseContent>>,
  chosen: Map<number, Set<number>>,
  passMark: number,
) {
  const results = content.questions.map((question) => {
    const right = content.options.filter((o) => o.questionId === question.id && o.correct).map((o) => o.id);
    const picked = chosen.get(question.id) ?? new Set<number>();
    return { questionId: question.id, correct: picked.size === right.length && right.every((o) => picked.has(o)) };
  });
  const correctCount = results.filter((r) => r.correct).length;
  const questions = Math.max(1, results.length);
  return {
    results,
    score: Math.round((100 * correctCount) / questions),
    passed: 100 * correctCount >= passMark * questions,
  };
}

/** An attempt refused (409): the API's message, and the key forms show in the reader's language. */
const refused = (message: string, key: string) => new AppError("conflict", message, undefined, { key });

/**
 * Refuses an attempt the member may not make (suspended or banned while answering): the API keeps the
 * reason, and the quiz form comes back with its answers and a message in the reader's language.
 */
function requireAttempt(access: CommunityAccess) {
  try {
    requirePrivilege(access, "course.attempt", "Join this community to take its courses.");
  } catch (error) {
    if (!(error instanceof AppError) || error.explanation) throw error;
    throw new AppError(error.code, error.message, error.fields, { key: "academy.error.notAllowed" });
  }
}

export async function submitAttempt(deps: Deps, courseId: number, actor: Actor, input: AttemptInput) {
  const { course, access } = await courseWithAccess(deps, courseId, actor);
  requireAttempt(access);
  const content = await q.courseContent(deps.db, courseId);
  const chosen = checkAnswers(content, input.answers);
  const { results, score: percent, passed } = score(content, chosen, course.passMark);
  const now = deps.clock.now();
  const outcome = await deps.db.transaction().execute(async (trx) => {
    // Two attempts submitted at once must not both slip past the limit.
    await lockRows({ db: trx, dialect: deps.dialect }, "courses", [courseId]);
    const before = await standing(trx, course, actor.id, now);
    if (before.certified) throw refused("You already hold this certification.", "academy.error.certified");
    if (before.attemptsLeft === 0)
      throw refused("You have no attempts left for this course.", "academy.error.noAttempts");
    if (before.nextAttemptAt !== null)
      throw rateLimited(`Wait until ${iso(before.nextAttemptAt)} before the next attempt.`);
    const attempt = await trx
      .insertInto("quizAttempts")
      .values({
        courseId,
        userId: actor.id,
        answers: JSON.stringify(Object.fromEntries([...chosen].map(([k, v]) => [k, [...v]]))),
        score: percent,
        passed: passed ? 1 : 0,
        createdAt: now,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    const expiresAt = course.validityDays === null ? null : now + course.validityDays * DAY_MS;
    if (passed) {
      await trx
        .insertInto("certifications")
        .values({ communityId: course.communityId, courseId, userId: actor.id, grantedAt: now, expiresAt })
        .onConflict((oc) => oc.columns(["courseId", "userId"]).doUpdateSet({ grantedAt: now, expiresAt }))
        .execute();
    }
    await ensureMember({ db: trx, clock: deps.clock }, course.communityId, actor.id);
    return { attemptId: attempt.id, attemptsLeft: passed ? 0 : before.attemptsLeft - 1, expiresAt };
  });
  return {
    score: percent,
    passed,
    passMark: course.passMark,
    attemptId: outcome.attemptId,
    // Which questions were right narrows the answer key for throwaway accounts: after a fail only where
    // the course's staff chose to show mistakes. Never which options are right.
    results: passed || course.showMistakes === 1 ? results : null,
    attemptsLeft: outcome.attemptsLeft,
    certification: passed
      ? { courseId, title: course.title, grantedAt: iso(now), expiresAt: iso(outcome.expiresAt) }
      : null,
  };
}

/** A member's valid certifications in a community, e.g. for their profile page. */
export async function certificationsOf(db: Db, communityId: number, userId: number, now = Date.now()) {
  const rows = await q.certificationsOfUsers(db, communityId, [userId], now);
  return rows.map((r) => ({
    courseId: r.courseId,
    title: r.title,
    grantedAt: iso(r.grantedAt)!,
    expiresAt: iso(r.expiresAt),
  }));
}

/** Valid certification titles per user, one query for a whole list of helpers. */
export async function certificationsByUser(
  db: Db,
  communityId: number,
  userIds: number[],
  now: number,
): Promise<Map<number, string[]>> {
  const byUser = new Map<number, string[]>();
  for (const r of await q.certificationsOfUsers(db, communityId, userIds, now))
    byUser.set(r.userId, [...(byUser.get(r.userId) ?? []), r.title]);
  return byUser;
}

export { certifiedAmong } from "./academy.queries.ts";

/** True when the user holds a valid certification of the course (a requirement check for other domains). */
export async function hasCertification(db: Db, courseId: number, userId: number, now: number): Promise<boolean> {
  return (await q.certifiedAmong(db, courseId, [userId], now)).has(userId);
}

/** A course of this community, or a validation error naming the field (for requirements set by staff). */
export async function requireCourseOf(db: Db, communityId: number, courseId: number, field: string): Promise<void> {
  const course = await q.findCourse(db, courseId);
  if (!course || course.communityId !== communityId) throw validationFailed({ [field]: "Unknown course." });
}
