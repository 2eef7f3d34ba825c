import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import assert from "node:assert/strict";
import pg from "pg";
import sharp from "sharp";
import { buildCommunity, buildUser, describeEachDatabase, type TestEnv, type TestUser, until } from "../helpers.ts";
import { dispatchJob } from "../../src/marketplace/dispatch.service.ts";

/** Like describeEachDatabase, with uploads in a temporary DATA_DIR of the suite's own. */
export function describeMarket(name: string, fn: (env: () => TestEnv) => void): void {
  describeEachDatabase(name, fn, { dataDir: fs.mkdtempSync(path.join(os.tmpdir(), "cs-market-")) });
}

/** A real image of the given format, made on the fly. */
export async function image(format: "png" | "jpeg" | "webp" = "png", size = 64): Promise<Buffer> {
  return sharp({ create: { width: size, height: size, channels: 3, background: "#3366cc" } })
    [format]()
    .toBuffer();
}

export const photo = async (format: "png" | "jpeg" | "webp" = "png") => ({
  data: (await image(format)).toString("base64"),
});

/** Every day 08:00-20:00 (the community's time zone, Europe/Zurich by default). */
export const ALL_WEEK = [0, 1, 2, 3, 4, 5, 6].map((day) => ({ day, start: "08:00", end: "20:00" }));

/**
 * An instant `days` after the test clock's date, at a Zurich wall-clock time (winter: UTC+1),
 * as the ISO string the API takes.
 */
export function at(env: TestEnv, days: number, hhmm: string): string {
  const date = new Date(env.clock.now() + days * 24 * 3600_000).toISOString().slice(0, 10);
  return `${date}T${hhmm}:00+01:00`;
}

export async function applicationBody(overrides: Record<string, unknown> = {}) {
  return {
    realName: "Hanna Helper",
    postalCode: "8001",
    phone: "+41 79 123 45 67",
    bio: "I set up TV boxes and home Wi-Fi for my neighbours.",
    acceptConduct: true,
    photo: await photo(),
    ...overrides,
  };
}

/** Applies through the API and has the community admin approve; returns the application. */
export async function approvedHelper(env: TestEnv, slug: string, admin: TestUser, helper?: TestUser) {
  const user = helper ?? (await buildUser(env, { name: "Hanna Helper" }));
  const applied = await env.api.post(
    `/api/v1/communities/${slug}/helper-applications`,
    await applicationBody(),
    user.auth,
  );
  if (applied.status !== 201) throw new Error(`apply failed: ${applied.status} ${JSON.stringify(applied.body)}`);
  const decided = await env.api.post(
    `/api/v1/helper-applications/${applied.body.application.id}/decision`,
    { decision: "approve" },
    admin.auth,
  );
  if (decided.status !== 200) throw new Error(`approve failed: ${decided.status} ${JSON.stringify(decided.body)}`);
  return { user, application: decided.body.application };
}

export async function createService(env: TestEnv, slug: string, admin: TestUser, props: Record<string, unknown> = {}) {
  const res = await env.api.post(
    `/api/v1/communities/${slug}/services`,
    { name: "TV set-up", description: "Connect and set up a TV box.", maxPrice: 80, ...props },
    admin.auth,
  );
  if (res.status !== 201) throw new Error(`service failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.service;
}

export async function createOffer(
  env: TestEnv,
  slug: string,
  helper: TestUser,
  serviceId: number,
  props: Record<string, unknown> = {},
) {
  const res = await env.api.post(
    `/api/v1/communities/${slug}/offers`,
    { serviceId, price: 50, priceUnit: "fixed", postalCodes: ["8001"], availability: ALL_WEEK, ...props },
    helper.auth,
  );
  if (res.status !== 201) throw new Error(`offer failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.offer;
}

export function bookingBody(env: TestEnv, days = 4, from = "10:00", to = "12:00") {
  return {
    startsAt: at(env, days, from),
    endsAt: at(env, days, to),
    description: "My TV box shows error E-102.",
    address: "Bahnhofstrasse 1, 8001 Zürich",
    phone: "+41 44 123 45 67",
  };
}

/** A community with a service, an approved helper with an offer, and two customers. */
/** A one-question course a service may require ("Wi-Fi basics"), as its API returns it. */
export async function wifiCourse(env: TestEnv, slug: string, admin: TestUser) {
  const res = await env.api.post(
    `/api/v1/communities/${slug}/courses`,
    {
      title: "Wi-Fi basics",
      questions: [
        {
          text: "2.4 or 5 GHz reaches further?",
          kind: "single",
          options: [{ text: "2.4 GHz", correct: true }, { text: "5 GHz" }],
        },
      ],
    },
    admin.auth,
  );
  if (res.status !== 201) throw new Error(`wifiCourse failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.course as { id: number; questions: { id: number; options: { id: number }[] }[] };
}

/** `user` passes the course made by wifiCourse: the right option of its one question. */
export async function passCourse(env: TestEnv, course: Awaited<ReturnType<typeof wifiCourse>>, user: TestUser) {
  const [q] = course.questions;
  const res = await env.api.post(
    `/api/v1/courses/${course.id}/attempts`,
    { answers: [{ questionId: q.id, optionIds: [q.options[0].id] }] },
    user.auth,
  );
  if (res.status !== 201) throw new Error(`passCourse failed: ${res.status} ${JSON.stringify(res.body)}`);
}

/** The user's certification from the course ran out a second ago. */
export async function expireCertification(env: TestEnv, userId: number, courseId: number): Promise<void> {
  await env.deps.db
    .updateTable("certifications")
    .set({ expiresAt: env.clock.now() - 1000 })
    .where("userId", "=", userId)
    .where("courseId", "=", courseId)
    .execute();
}

/** A job request for two days ahead, 09:00 to 11:00, at a postal code the dispatch tests know. */
export function jobBody(env: TestEnv, serviceId: number) {
  const { description, address, phone } = bookingBody(env);
  return {
    serviceId,
    postalCode: "8001",
    startsAt: at(env, 2, "09:00"),
    endsAt: at(env, 2, "11:00"),
    description,
    address,
    phone,
  };
}

export async function market(env: TestEnv) {
  const built = await buildCommunity(env, { members: { member: 2, staff: 1 } });
  const [customer, other] = built.members.member;
  const service = await createService(env, built.slug, built.admin);
  const { user: helper, application } = await approvedHelper(env, built.slug, built.admin);
  const offer = await createOffer(env, built.slug, helper, service.id);
  return { ...built, staff: built.members.staff[0], customer, other, service, helper, application, offer };
}

/** A booking requested through the API. */
export async function requestBooking(env: TestEnv, offerId: number, customer: TestUser, body: Record<string, unknown>) {
  const res = await env.api.post(`/api/v1/offers/${offerId}/bookings`, body, customer.auth);
  if (res.status !== 201) throw new Error(`booking failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.booking;
}

/**
 * PostgreSQL: another session takes a lock (`hold`, in its open transaction), `start` begins the work
 * under test, and once that work waits for the lock `meanwhile` runs; then the other session commits.
 * Gives what `start` gave, settled.
 */
export async function whileAnotherSessionHolds<T>(
  env: TestEnv,
  hold: (client: pg.Client) => Promise<unknown>,
  start: () => Promise<T>,
  meanwhile: () => Promise<unknown> = async () => {},
): Promise<T> {
  const holder = new pg.Client({ connectionString: env.deps.config.databaseUrl });
  await holder.connect();
  let work: Promise<T> | undefined;
  try {
    await holder.query(`set search_path = ${env.deps.config.databaseSchema}`);
    await holder.query("begin");
    await hold(holder);
    work = start();
    await until("the work to wait for the other session's lock", async () => {
      const { rows } = await holder.query("select count(*)::int as n from pg_locks where not granted");
      return rows[0].n > 0;
    });
    await meanwhile();
    await holder.query("commit");
  } finally {
    await holder.end();
  }
  return work;
}

/**
 * PostgreSQL: the customer calls the job off while its dispatch round 1 waits for the postal places
 * (another session holds them), which the round reads while it looks for helpers.
 */
export async function cancelledWhileRoundWaits(env: TestEnv, jobRequestId: number, customer: TestUser): Promise<void> {
  await whileAnotherSessionHolds(
    env,
    (holder) => holder.query("lock table postal_places in access exclusive mode"),
    () => dispatchJob.run(env.deps, { jobRequestId, round: 1 }),
    async () => {
      const cancelled = await env.api.post(`/api/v1/job-requests/${jobRequestId}/cancel`, {}, customer.auth);
      assert.equal(cancelled.body.jobRequest.status, "cancelled");
    },
  );
}
