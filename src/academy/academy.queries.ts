import type { Db } from "../db/database.ts";

/** Certifications valid at `now`: granted and not expired. */
function validCertifications(db: Db, now: number) {
  return db
    .selectFrom("certifications")
    .innerJoin("courses", "courses.id", "certifications.courseId")
    .select([
      "certifications.courseId",
      "certifications.userId",
      "courses.title",
      "certifications.grantedAt",
      "certifications.expiresAt",
    ])
    .where((eb) => eb.or([eb("certifications.expiresAt", "is", null), eb("certifications.expiresAt", ">", now)]));
}

export function certificationsOfUsers(db: Db, communityId: number, userIds: number[], now: number) {
  if (userIds.length === 0) return Promise.resolve([]);
  return validCertifications(db, now)
    .where("certifications.communityId", "=", communityId)
    .where("certifications.userId", "in", userIds)
    .orderBy("courses.title")
    .execute();
}

/** Of these users, those holding a valid certification of the course. */
export async function certifiedAmong(db: Db, courseId: number, userIds: number[], now: number): Promise<Set<number>> {
  if (userIds.length === 0) return new Set();
  const rows = await validCertifications(db, now)
    .where("certifications.courseId", "=", courseId)
    .where("certifications.userId", "in", userIds)
    .execute();
  return new Set(rows.map((r) => r.userId));
}

export function findCourse(db: Db, id: number) {
  return db.selectFrom("courses").selectAll().where("id", "=", id).executeTakeFirst();
}

export function listCourses(db: Db, communityId: number) {
  return db
    .selectFrom("courses")
    .selectAll()
    .where("communityId", "=", communityId)
    .orderBy("title")
    .orderBy("id")
    .execute();
}

export async function courseContent(db: Db, courseId: number) {
  const [lessons, questions, options] = await Promise.all([
    db.selectFrom("courseLessons").selectAll().where("courseId", "=", courseId).orderBy("position").execute(),
    db.selectFrom("quizQuestions").selectAll().where("courseId", "=", courseId).orderBy("position").execute(),
    db
      .selectFrom("quizOptions")
      .innerJoin("quizQuestions", "quizQuestions.id", "quizOptions.questionId")
      .selectAll("quizOptions")
      .where("quizQuestions.courseId", "=", courseId)
      .orderBy("quizOptions.position")
      .execute(),
  ]);
  return { lessons, questions, options };
}

export function certification(db: Db, courseId: number, userId: number) {
  return db
    .selectFrom("certifications")
    .selectAll()
    .where("courseId", "=", courseId)
    .where("userId", "=", userId)
    .executeTakeFirst();
}

/**
 * Attempts that count against the limit: those since the member's last certification (all, if never
 * certified), latest first. Two stamped the same millisecond (the clock is read before the course's
 * lock) come in the order they were written.
 */
export function countedAttempts(db: Db, courseId: number, userId: number, since: number) {
  return db
    .selectFrom("quizAttempts")
    .select(["id", "score", "passed", "answers", "createdAt"])
    .where("courseId", "=", courseId)
    .where("userId", "=", userId)
    .where("createdAt", ">", since)
    .orderBy("createdAt", "desc")
    .orderBy("id", "desc")
    .execute();
}
