import { hitRateLimit } from "../lib/rate-limit.ts";
import type { Actor, Deps } from "../core/deps.ts";
import { sql } from "kysely";
import type { Db } from "../db/database.ts";
import type { JobRequestStatus } from "../db/schema.ts";
import { ensureMember } from "../communities/index.ts";
import type { CommunityAccess } from "../access/access.ts";
import { AppError, conflict, forbidden, notFound } from "../core/errors.ts";
import { defineJob, enqueue } from "../jobs/jobs.ts";

import { settingsOf } from "./marketplace.settings.ts";
import { averageRating, matchingOffers, offerServes } from "./finder.service.ts";
import { placeOf } from "./marketplace.geo.ts";
import { findService, type OfferRow } from "./catalog.service.ts";
import { communitiesSoldIn, staffIds, userTakesPart } from "./applications.service.ts";
import { tell } from "./marketplace.notifications.ts";
import { announce, certifiedFor, checkNewTime, getBooking } from "./bookings.service.ts";
import { ANSWER_WITHIN_MS, scheduleReminder } from "./bookings.jobs.ts";
import * as q from "./bookings.queries.ts";
import type { JobRequestInput } from "./marketplace.schema.ts";
import { insertBooking } from "./bookings.queries.ts";
import { offerCovers } from "./marketplace.time.ts";
import { communityAccess } from "../communities/index.ts";
import { can, requirePrivilege } from "../access/privileges.ts";
import { iso } from "../lib/iso-time.ts";

type JobRow = NonNullable<Awaited<ReturnType<typeof findJob>>>;

/** Job requests with their service name and community slug. */
export function jobSelect(db: Db) {
  return db
    .selectFrom("jobRequests")
    .innerJoin("services", "services.id", "jobRequests.serviceId")
    .innerJoin("communities", "communities.id", "jobRequests.communityId")
    .selectAll("jobRequests")
    .select(["services.name as serviceName", "communities.slug as communitySlug"]);
}

function findJob(db: Db, id: number) {
  return jobSelect(db).where("jobRequests.id", "=", id).executeTakeFirst();
}

/** A job in a notification: service and place, and when its window starts (each reader sees it their way). */
const jobTitle = (job: { serviceName: string; postalCode: string; windowStart: number }) => ({
  title: `${job.serviceName}, ${job.postalCode}`,
  at: job.windowStart,
});

/**
 * The next few helpers for a job: offering the service where it is, in the job's currency (an offer
 * published before staff changed it is priced in another), within their weekly hours (in the
 * community's time zone), certified for it, free at that time, not asked before; best rated first,
 * then nearest, then least busy.
 */
async function nextCandidates(trx: Db, job: JobRow, settings: { batch: number; timezone: string }, now: number) {
  const offers = await matchingOffers(
    trx,
    job.communityId,
    { serviceId: job.serviceId, postalCode: job.postalCode, currency: job.currency },
    now,
  );
  const asked = new Set(
    (await trx.selectFrom("jobCandidates").select("helperId").where("jobRequestId", "=", job.id).execute()).map(
      (r) => r.helperId,
    ),
  );
  const busy = await trx
    .selectFrom("bookings")
    .select(["helperId", (eb) => eb.fn.countAll<number>().as("load")])
    .where("status", "=", "accepted")
    .where("endsAt", ">", now)
    .groupBy("helperId")
    .execute();
  const load = new Map(busy.map((b) => [b.helperId, Number(b.load)]));
  const interval = { startsAt: job.windowStart, endsAt: job.windowEnd };
  const best = new Map<number, (typeof offers)[number]>();
  for (const offer of offers) {
    if (offer.helperId === job.customerId || asked.has(offer.helperId)) continue;
    if (!offerCovers(offer, interval, settings.timezone)) continue;
    const known = best.get(offer.helperId);
    if (!known || (offer.distanceKm ?? Infinity) < (known.distanceKm ?? Infinity)) best.set(offer.helperId, offer);
  }
  const ranked = [...best.values()].sort(
    (a, b) =>
      (averageRating(b.ratingSum, b.ratingCount) ?? 0) - (averageRating(a.ratingSum, a.ratingCount) ?? 0) ||
      (a.distanceKm ?? Infinity) - (b.distanceKm ?? Infinity) ||
      (load.get(a.helperId) ?? 0) - (load.get(b.helperId) ?? 0) ||
      a.helperId - b.helperId,
  );
  const chosen = [];
  for (const offer of ranked) {
    if (chosen.length === settings.batch) break;
    if (!(await q.overlappingBooking(trx, offer.helperId, interval))) chosen.push(offer.helperId);
  }
  return chosen;
}

/**
 * Offers a job to the next helpers and schedules the next round; with nobody left, or once the job's
 * time has begun (no helper may take it then), hands it to staff.
 */
async function dispatchRound(trx: Db, deps: Deps, job: JobRow) {
  const now = deps.clock.now();
  const settings = await settingsOf(trx, job.communityId);
  const candidates = { batch: settings.dispatchBatch, timezone: settings.timezone };
  const helperIds = job.windowStart > now ? await nextCandidates(trx, job, candidates, now) : [];
  const ctx = { db: trx, clock: deps.clock };
  const notice = { communityId: job.communityId, ...jobTitle(job), excerpt: job.description.slice(0, 200) };
  if (helperIds.length === 0) {
    const handed = await trx
      .updateTable("jobRequests")
      .set({ status: "staff" })
      .where("id", "=", job.id)
      .where("status", "=", "open")
      .executeTakeFirst();
    // Cancelled or taken while the round looked for helpers: nothing for staff to arrange.
    if (Number(handed.numUpdatedRows) === 0) return 0;
    await tell(ctx, "job_unassigned", {
      ...notice,
      userIds: await staffIds(trx, job.communityId),
      eventKey: `unassigned:${job.id}`,
      subject: `job:${job.id}`,
      url: `/c/${job.communitySlug}/service-friends/staff`,
    });
    return 0;
  }
  const round = job.round + 1;
  const advanced = await trx
    .updateTable("jobRequests")
    .set({ round })
    .where("id", "=", job.id)
    .where("status", "=", "open")
    .where("round", "=", job.round)
    .executeTakeFirst();
  // Cancelled or taken while the helpers were being picked (PostgreSQL lets that commit meanwhile;
  // this update waits for it and then matches nothing): nobody else is asked.
  if (Number(advanced.numUpdatedRows) === 0) return 0;
  await trx
    .insertInto("jobCandidates")
    .values(helperIds.map((helperId) => ({ jobRequestId: job.id, helperId, round, offeredAt: now })))
    .execute();
  await tell(ctx, "job_offered", {
    ...notice,
    userIds: helperIds,
    eventKey: `offered:${job.id}:${round}`,
    subject: `job:${job.id}`,
    url: `/c/${job.communitySlug}/service-friends/mine`,
  });
  await enqueue(
    ctx,
    dispatchJob,
    { jobRequestId: job.id, round },
    { runAt: now + settings.dispatchWaitMinutes * 60_000, dedupeKey: `dispatch:${job.id}:${round}` },
  );
  return helperIds.length;
}

/** When nobody accepted a round in time, the job goes to the next helpers, then to staff. */
export const dispatchJob = defineJob<{ jobRequestId: number; round: number }>({
  name: "marketplace.dispatch",
  run: async (deps, { jobRequestId, round }) => {
    await deps.db.transaction().execute(async (trx) => {
      const job = await findJob(trx, jobRequestId);
      if (job?.status === "open" && job.round === round) await dispatchRound(trx, deps, job);
    });
    deps.wakeJobs?.();
  },
});

/** A customer describes a job; it is offered to the best-suited nearby helpers at once. */
export async function createJobRequest(deps: Deps, access: CommunityAccess, input: JobRequestInput) {
  const actor = access.actor;
  requirePrivilege(access, "job.request", "Join this community to request help.");
  if (!actor) throw forbidden("You need to log in to do this.");
  await findService(deps.db, access.community.id, input.serviceId);
  const now = deps.clock.now();
  // Each request notifies several helpers: limited like posts.
  await hitRateLimit(deps.db, `job-request:${actor.id}`, deps.config.rateLimits.post, now);
  checkNewTime(now, input);
  const result = await deps.db.transaction().execute(async (trx) => {
    const { currency } = await settingsOf(trx, access.community.id);
    const row = await trx
      .insertInto("jobRequests")
      .values({
        communityId: access.community.id,
        customerId: actor.id,
        serviceId: input.serviceId,
        postalCode: input.postalCode,
        windowStart: input.startsAt,
        windowEnd: input.endsAt,
        description: input.description,
        address: input.address,
        phone: input.phone,
        status: "open",
        round: 0,
        helperId: null,
        createdAt: now,
        currency,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await ensureMember({ db: trx, clock: deps.clock }, access.community.id, actor.id);
    const offeredTo = await dispatchRound(trx, deps, (await findJob(trx, row.id))!);
    return { id: row.id, offeredTo };
  });
  deps.wakeJobs?.();
  return { jobRequest: (await jobView(deps, result.id, actor)).job, offeredTo: result.offeredTo };
}

/** A job nobody has taken yet can be called off by the member who asked. */
export const CANCELLABLE: JobRequestStatus[] = ["open", "staff"];

/** A job request as one viewer sees it: the address and phone only for its customer and staff. */
function toJobView(job: JobRow, viewer: { id: number; owner: boolean }, bookingId: number | null) {
  return {
    id: job.id,
    community: job.communitySlug,
    status: job.status,
    /** For a helper it was offered to: taken by someone (possibly them). */
    taken: job.status === "taken",
    takenByYou: job.helperId === viewer.id,
    service: { id: job.serviceId, name: job.serviceName },
    postalCode: job.postalCode,
    /** The currency its price is booked in: the community's when it was requested. */
    currency: job.currency,
    startsAt: iso(job.windowStart),
    endsAt: iso(job.windowEnd),
    description: job.description,
    address: viewer.owner ? job.address : null,
    phone: viewer.owner ? job.phone : null,
    round: job.round,
    /** The booking made when it was taken: for its customer, staff and the helper who took it. */
    bookingId: viewer.owner || job.helperId === viewer.id ? bookingId : null,
    url: `/c/${job.communitySlug}/job-requests/${job.id}`,
  };
}

/**
 * A job request with the viewer's access to its community: the customer, staff, and the helpers it
 * was offered to see it; anyone else gets "not found".
 */
export async function jobView(deps: Deps, id: number, actor: Actor) {
  const job = await findJob(deps.db, id);
  if (!job) throw notFound("Job request");
  const access = await communityAccess(deps, { id: job.communityId }, actor, "Job request");
  const candidate = await deps.db
    .selectFrom("jobCandidates")
    .select("round")
    .where("jobRequestId", "=", id)
    .where("helperId", "=", actor.id)
    .executeTakeFirst();
  const owner = job.customerId === actor.id || can(access, "market.staff");
  if (!owner && !candidate) throw notFound("Job request");
  const booking =
    job.helperId === null
      ? null
      : await deps.db.selectFrom("bookings").select("id").where("jobRequestId", "=", id).executeTakeFirst();
  const asked = await deps.db
    .selectFrom("jobCandidates")
    .select([(eb) => eb.fn.countAll<number>().as("count"), (eb) => eb.fn.max("offeredAt").as("lastOfferedAt")])
    .where("jobRequestId", "=", id)
    .executeTakeFirstOrThrow();
  const { dispatchWaitMinutes } = await settingsOf(deps.db, job.communityId);
  const lastOfferedAt = asked.lastOfferedAt === null ? null : Number(asked.lastOfferedAt);
  return {
    access,
    job: {
      ...toJobView(job, { id: actor.id, owner }, booking?.id ?? null),
      /** How many helpers it has been offered to so far, over all rounds. */
      helpersAsked: Number(asked.count),
      /** While open: when the helpers asked last have had their time to answer (then the next ones are asked). */
      answerBy:
        job.status === "open" && lastOfferedAt !== null ? iso(lastOfferedAt + dispatchWaitMinutes * 60_000) : null,
      abilities: { cancel: job.customerId === actor.id && CANCELLABLE.includes(job.status) },
    },
  };
}

/**
 * Jobs offered to the helper: the open ones they may take, and the recent ones already taken; only in
 * communities they still take part in (a removal from a private community or a ban hides them).
 */
export async function myJobOffers(deps: Deps, actor: Actor) {
  const now = deps.clock.now();
  const rows = await deps.db
    .selectFrom("jobCandidates")
    .innerJoin("jobRequests", "jobRequests.id", "jobCandidates.jobRequestId")
    .innerJoin("services", "services.id", "jobRequests.serviceId")
    .innerJoin("communities", "communities.id", "jobRequests.communityId")
    .select([
      "jobRequests.id",
      "jobRequests.status",
      "jobRequests.helperId",
      "jobRequests.postalCode",
      "jobRequests.windowStart",
      "jobRequests.windowEnd",
      "jobRequests.description",
      "jobRequests.currency",
      "jobRequests.communityId",
      "jobRequests.serviceId",
      "services.name as serviceName",
      "communities.slug",
    ])
    .where("jobCandidates.helperId", "=", actor.id)
    .where("jobCandidates.offeredAt", ">", now - 30 * 24 * 3600_000)
    .where(userTakesPart(sql.val(actor.id), sql.ref("communities.id")))
    .orderBy("jobCandidates.offeredAt", "desc")
    .limit(50)
    .execute();
  const fits = await offersForJobs(
    deps.db,
    actor.id,
    rows.filter((r) => r.status === "open" && r.windowStart > now),
    now,
  );
  return rows.map((r) => {
    const fit = fits.get(r.id);
    return {
      id: r.id,
      community: r.slug,
      status: r.status as JobRequestStatus,
      canAccept: fit !== undefined && "offer" in fit,
      /** Why an open job cannot be taken: the helper's offers no longer take it (else null). */
      acceptRefusal: fit && "refusal" in fit ? fit.refusal : null,
      taken: r.status === "taken",
      takenByYou: r.helperId === actor.id,
      service: r.serviceName,
      postalCode: r.postalCode,
      currency: r.currency,
      startsAt: iso(r.windowStart),
      endsAt: iso(r.windowEnd),
      description: r.description,
      url: `/c/${r.slug}/job-requests/${r.id}`,
    };
  });
}

/**
 * Why Accept would refuse (409) a job the helper was asked for: they no longer sell in its community
 * (`suspended`: by staff as a service friend, or in the community; see helperSells), or their offers no
 * longer take it.
 */
type AcceptRefusal = "suspended" | "not_offered" | "area_not_served" | "outside_hours";
type JobFit = { offer: OfferRow } | { refusal: AcceptRefusal };
type JobFacts = Pick<
  JobRow,
  "id" | "communityId" | "serviceId" | "postalCode" | "windowStart" | "windowEnd" | "currency"
>;

/**
 * The helper's offer each job is booked on: the cheapest of their active offers of the service, in
 * the job's currency, that serves the job's postal code and whose weekly hours cover its time, as
 * dispatch asked them for (never a cheaper one for another area or other hours); else why none does
 * any more (suspended at `now`, as acceptJob checks first; or withdrawn, moved elsewhere, or its
 * hours changed, since they were asked).
 */
async function offersForJobs(db: Db, helperId: number, jobs: JobFacts[], now: number): Promise<Map<number, JobFit>> {
  if (jobs.length === 0) return new Map();
  const unique = <T>(values: T[]) => [...new Set(values)];
  const [sells, offers, places, zones] = await Promise.all([
    communitiesSoldIn(db, helperId, unique(jobs.map((j) => j.communityId)), now),
    db
      .selectFrom("offers")
      .selectAll()
      .where("helperId", "=", helperId)
      .where("serviceId", "in", unique(jobs.map((j) => j.serviceId)))
      .where("active", "=", 1)
      .orderBy("priceCents")
      .orderBy("id")
      .execute(),
    Promise.all(unique(jobs.map((j) => j.postalCode)).map(async (code) => [code, await placeOf(db, code)] as const)),
    Promise.all(
      unique(jobs.map((j) => j.communityId)).map(async (id) => [id, (await settingsOf(db, id)).timezone] as const),
    ),
  ]);
  const placeBy = new Map(places);
  const zoneBy = new Map(zones);
  const fits = jobs.map((job): [number, JobFit] => {
    if (!sells.has(job.communityId)) return [job.id, { refusal: "suspended" }];
    // Priced in the job's currency: an offer in another one does not take it.
    const mine = offers.filter(
      (o) => o.communityId === job.communityId && o.serviceId === job.serviceId && o.currency === job.currency,
    );
    const inArea = mine.filter((o) => offerServes(o, job.postalCode, placeBy.get(job.postalCode)).served);
    const interval = { startsAt: job.windowStart, endsAt: job.windowEnd };
    const offer = inArea.find((o) => offerCovers(o, interval, zoneBy.get(job.communityId)!));
    if (offer) return [job.id, { offer }];
    return [job.id, { refusal: !mine.length ? "not_offered" : !inArea.length ? "area_not_served" : "outside_hours" }];
  });
  return new Map(fits);
}

const NOT_TAKING_JOBS = "You are not taking jobs in this community at the moment.";

/** The offer a job the helper takes is booked on (see offersForJobs); 409 when none takes it any more. */
function offerOf(fit: JobFit, job: JobRow) {
  if ("offer" in fit) return fit.offer;
  if (fit.refusal === "suspended") throw conflict(NOT_TAKING_JOBS);
  if (fit.refusal === "not_offered") throw conflict("You no longer offer this service.");
  if (fit.refusal === "area_not_served")
    throw new AppError("conflict", `You no longer offer this service in ${job.postalCode}.`, undefined, {
      key: "market.error.areaNotServed",
      params: { postalCode: job.postalCode },
    });
  throw new AppError("conflict", "Your weekly hours do not cover the time of this job.", undefined, {
    key: "market.error.outsideHours",
  });
}

/**
 * A helper takes a dispatched job. The conditional UPDATE (status still open, its time not begun)
 * lets exactly one of several helpers accepting at the same moment win; the others get 409. Only an
 * approved service friend in good standing, certified for the service if it asks for it, takes one
 * (read under the helper's lock).
 */
export async function acceptJob(deps: Deps, id: number, actor: Actor) {
  const { access } = await jobView(deps, id, actor);
  requirePrivilege(access, "job.accept", "You cannot take jobs in this community.");
  const now = deps.clock.now();
  const bookingId = await deps.db.transaction().execute(async (trx) => {
    const taken = await trx
      .updateTable("jobRequests")
      .set({ status: "taken", helperId: actor.id })
      .where("id", "=", id)
      .where("status", "=", "open")
      .where("windowStart", ">", now)
      .where((eb) =>
        eb.exists(
          eb
            .selectFrom("jobCandidates")
            .select("helperId")
            .where("jobCandidates.jobRequestId", "=", id)
            .where("jobCandidates.helperId", "=", actor.id),
        ),
      )
      .executeTakeFirst();
    if (Number(taken.numUpdatedRows) !== 1) {
      const offered = await trx
        .selectFrom("jobCandidates")
        .select("helperId")
        .where("jobRequestId", "=", id)
        .where("helperId", "=", actor.id)
        .executeTakeFirst();
      if (!offered) throw notFound("Job request");
      const job = await findJob(trx, id);
      if (job?.status === "open") throw conflict("The time of this job has already begun.");
      // Not taken by anyone: called off by its customer, or handed to staff after the last round.
      if (job?.status === "cancelled")
        throw new AppError("conflict", "The member who asked called this job off.", undefined, {
          key: "market.error.jobCancelled",
        });
      if (job?.status === "staff")
        throw new AppError(
          "conflict",
          "This job is no longer offered to service friends; staff arrange it.",
          undefined,
          { key: "market.error.jobWithStaff" },
        );
      throw conflict("Another service friend already took this job.");
    }
    const job = (await findJob(trx, id))!;
    await q.lockHelper(trx, deps.dialect, actor.id);
    const fit = (await offersForJobs(trx, actor.id, [job], now)).get(job.id)!;
    // Refusals in this order: not selling here, then certification, then the time, then the offer.
    if ("refusal" in fit && fit.refusal === "suspended") throw conflict(NOT_TAKING_JOBS);
    if (!(await certifiedFor(trx, job.serviceId, actor.id, now)))
      throw conflict("This service requires a certification you do not hold at the moment.");
    const interval = { startsAt: job.windowStart, endsAt: job.windowEnd };
    if (await q.overlappingBooking(trx, actor.id, interval)) throw conflict("You are already booked at that time.");
    const offer = offerOf(fit, job);
    const created = await insertBooking(trx, {
      communityId: job.communityId,
      offer,
      jobRequestId: id,
      customerId: job.customerId,
      ...interval,
      description: job.description,
      address: job.address,
      phone: job.phone,
      status: "accepted",
      respondBy: now + ANSWER_WITHIN_MS,
      // As offered: not the community's currency of now, if staff changed it since.
      currency: job.currency,
      now,
    });
    await scheduleReminder({ db: trx, clock: deps.clock }, created, job.windowStart);
    await announce(trx, deps, created, "booking_accepted", actor, `accepted:${created}`);
    return created;
  });
  deps.wakeJobs?.();
  return (await getBooking(deps, bookingId, actor)).booking;
}

/** Jobs nobody took, for staff to arrange by phone or cancel. */
export async function staffJobQueue(deps: Deps, access: CommunityAccess) {
  if (!can(access, "market.staff")) throw forbidden("Only staff see the dispatch queue.");
  const rows = await jobSelect(deps.db)
    .where("jobRequests.communityId", "=", access.community.id)
    .where("jobRequests.status", "=", "staff")
    .orderBy("jobRequests.createdAt")
    .limit(100)
    .execute();
  return rows.map((job) => toJobView(job, { id: access.actor!.id, owner: true }, null));
}
