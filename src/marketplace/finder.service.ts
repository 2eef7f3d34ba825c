import type { Deps } from "../core/deps.ts";
import { sql } from "kysely";
import type { Db } from "../db/database.ts";
import type { CommunityAccess } from "../access/access.ts";
import { notFound, validationFailed } from "../core/errors.ts";
import { certificationsByUser, certifiedAmong } from "../academy/index.ts";

import { placeByName, placeOf, serves, type Point } from "./marketplace.geo.ts";
import { photoUrl } from "./marketplace.photos.ts";
import { noShowCounts } from "./problems.queries.ts";
import { toPublicOffer, type OfferRow } from "./catalog.service.ts";
import type { SearchOffersInput } from "./marketplace.schema.ts";
import { reputationSettings } from "../reputation/index.ts";
import { rankFor, type Rank } from "../access/trust-levels.ts";
import { can } from "../access/privileges.ts";
import { reviewAbilities } from "./marketplace.policy.ts";
import { helperInGoodStanding } from "./applications.service.ts";

const RESULTS_MAX = 50;

/** Active offers of approved helpers in good standing, with what a result card shows; one query. */
function offerSelect(db: Db, communityId: number, now: number) {
  return db
    .selectFrom("offers")
    .innerJoin("helpers", (join) =>
      join.onRef("helpers.userId", "=", "offers.helperId").onRef("helpers.communityId", "=", "offers.communityId"),
    )
    .innerJoin("users", "users.id", "offers.helperId")
    .innerJoin("services", "services.id", "offers.serviceId")
    .leftJoin("reputation", (join) =>
      join
        .onRef("reputation.userId", "=", "offers.helperId")
        .onRef("reputation.communityId", "=", "offers.communityId"),
    )
    .selectAll("offers")
    .select([
      "users.name as helperName",
      "helpers.photoKey",
      "helpers.ratingSum",
      "helpers.ratingCount",
      "helpers.completedCount",
      "services.name as serviceName",
      "services.requiredCourseId",
      "reputation.kudos",
    ])
    .where("offers.communityId", "=", communityId)
    .where("offers.active", "=", 1)
    .where("helpers.status", "=", "approved")
    .where(helperInGoodStanding(sql.ref("offers.helperId"), sql.ref("offers.communityId"), now));
}

type OfferMatch = Awaited<ReturnType<ReturnType<typeof offerSelect>["execute"]>>[number] & {
  distanceKm: number | null;
};

export const averageRating = (sum: number, count: number) => (count ? Math.round((sum / count) * 10) / 10 : null);

/**
 * Whether an offer's area serves a postal code (listed, or its place within the offer's radius of
 * `target`, the postal code's place if the table knows it), and how far: what the finder, dispatch
 * and taking a dispatched job all decide with.
 */
export function offerServes(
  offer: Pick<OfferRow, "postalCodes" | "lat" | "lon" | "radiusKm">,
  postalCode: string,
  target: Point | undefined,
) {
  const center = offer.lat !== null && offer.lon !== null ? { lat: offer.lat, lon: offer.lon } : null;
  return serves({ postalCodes: JSON.parse(offer.postalCodes), center, radiusKm: offer.radiusKm }, postalCode, target);
}

/**
 * Offers that can take a job: of the service, serving the postal code (listed or within the
 * radius), by a helper holding the certification the service requires.
 */
export async function matchingOffers(
  db: Db,
  communityId: number,
  filter: { serviceId?: number; postalCode?: string; currency?: string },
  now: number,
): Promise<OfferMatch[]> {
  let query = offerSelect(db, communityId, now);
  if (filter.serviceId) query = query.where("offers.serviceId", "=", filter.serviceId);
  if (filter.currency) query = query.where("offers.currency", "=", filter.currency);
  const [rows, target] = await Promise.all([
    query.execute(),
    filter.postalCode ? placeOf(db, filter.postalCode) : undefined,
  ]);
  const matches: OfferMatch[] = [];
  for (const row of rows) {
    if (!filter.postalCode) {
      matches.push({ ...row, distanceKm: null });
      continue;
    }
    const area = offerServes(row, filter.postalCode, target);
    if (area.served) matches.push({ ...row, distanceKm: area.distanceKm });
  }
  return byCertifiedHelpers(db, matches, now);
}

/** The offers whose helper holds, at `now`, the certification their service requires (if it requires one). */
async function byCertifiedHelpers<T extends { requiredCourseId: number | null; helperId: number }>(
  db: Db,
  offers: T[],
  now: number,
): Promise<T[]> {
  const courses = [...new Set(offers.map((o) => o.requiredCourseId).filter((c): c is number => c !== null))];
  const certified = new Map<number, Set<number>>();
  for (const course of courses)
    certified.set(course, await certifiedAmong(db, course, [...new Set(offers.map((o) => o.helperId))], now));
  return offers.filter((o) => o.requiredCourseId === null || certified.get(o.requiredCourseId)!.has(o.helperId));
}

const BY: Record<SearchOffersInput["sort"], (a: OfferMatch, b: OfferMatch) => number> = {
  rating: (a, b) =>
    (averageRating(b.ratingSum, b.ratingCount) ?? 0) - (averageRating(a.ratingSum, a.ratingCount) ?? 0) ||
    b.ratingCount - a.ratingCount,
  distance: (a, b) => (a.distanceKm ?? Infinity) - (b.distanceKm ?? Infinity),
  price: (a, b) => a.priceCents - b.priceCents,
};

/** The helper's bookings in the community that staff marked as their no-shows. */
async function noShowCount(db: Db, communityId: number, helperId: number): Promise<number> {
  return (await noShowCounts(db, communityId, "helper", [helperId])).get(helperId) ?? 0;
}

/** The helper as result cards and profiles show them, with the community rank their kudos give. */
function helperCard(
  row: {
    helperId: number;
    helperName: string;
    photoKey: string;
    ratingSum: number;
    ratingCount: number;
    completedCount: number;
    kudos: number | null;
  },
  slug: string,
  certifications: string[],
  ranks: readonly Rank[],
) {
  return {
    userId: row.helperId,
    name: row.helperName,
    photoUrl: photoUrl(row.photoKey),
    rank: rankFor(ranks, Number(row.kudos ?? 0)).name,
    rating: { average: averageRating(row.ratingSum, row.ratingCount), count: row.ratingCount },
    completedJobs: row.completedCount,
    certifications,
    url: `/c/${slug}/helpers/${row.helperId}`,
  };
}

export async function searchOffers(deps: Deps, access: CommunityAccess, input: SearchOffersInput) {
  const communityId = access.community.id;
  const now = deps.clock.now();
  const postalCode =
    input.postalCode ?? (input.place ? (await placeByName(deps.db, input.place))?.postalCode : undefined);
  if (input.place && !postalCode) throw validationFailed({ place: "Unknown place; try its postal code." });
  const [matches, reputation] = await Promise.all([
    matchingOffers(deps.db, communityId, { serviceId: input.service, postalCode }, now),
    reputationSettings(deps.db, communityId),
  ]);
  matches.sort((a, b) => BY[input.sort](a, b) || BY.rating(a, b) || a.id - b.id);
  const page = matches.slice(0, RESULTS_MAX);
  const certifications = await certificationsByUser(
    deps.db,
    communityId,
    [...new Set(page.map((m) => m.helperId))],
    now,
  );
  return {
    offers: page.map((m) => ({
      ...toPublicOffer(m, m.serviceName),
      distanceKm: m.distanceKm,
      helper: helperCard(m, access.community.slug, certifications.get(m.helperId) ?? [], reputation.ranks),
    })),
  };
}

/**
 * A helper's public page: card, the active offers that may be booked and reviews with their answers.
 * As in the search, only a helper who sells here (approved and in good standing) has one; the helper
 * and staff still see theirs.
 */
export async function helperProfile(deps: Deps, access: CommunityAccess, userId: number) {
  const communityId = access.community.id;
  const now = deps.clock.now();
  const helper = await deps.db
    .selectFrom("helpers")
    .innerJoin("users", "users.id", "helpers.userId")
    .leftJoin("reputation", (join) =>
      join
        .onRef("reputation.userId", "=", "helpers.userId")
        .onRef("reputation.communityId", "=", "helpers.communityId"),
    )
    .select([
      "helpers.userId as helperId",
      "users.name as helperName",
      "helpers.photoKey",
      "helpers.ratingSum",
      "helpers.ratingCount",
      "helpers.completedCount",
      "helpers.bio",
      "helpers.status",
      "helpers.postalCode",
      "reputation.kudos",
    ])
    .select(helperInGoodStanding(sql.ref("helpers.userId"), sql.ref("helpers.communityId"), now).as("inGoodStanding"))
    .where("helpers.communityId", "=", communityId)
    .where("helpers.userId", "=", userId)
    .executeTakeFirst();
  const sells = helper?.status === "approved" && Boolean(helper.inGoodStanding);
  const ownOrStaff = access.actor?.id === userId || can(access, "market.staff");
  const visible = sells || (ownOrStaff && (helper?.status === "approved" || helper?.status === "suspended"));
  if (!helper || !visible) throw notFound("Helper");
  const [offers, reviews, certifications, reputation, noShows] = await Promise.all([
    // Only offers that may be booked, as the search shows them: not one whose certification has expired.
    offerSelect(deps.db, communityId, now)
      .where("offers.helperId", "=", userId)
      .orderBy("services.name")
      .execute()
      .then((rows) => byCertifiedHelpers(deps.db, rows, now)),
    deps.db
      .selectFrom("reviews")
      .innerJoin("users", "users.id", "reviews.customerId")
      .select([
        "reviews.id",
        "reviews.rating",
        "reviews.text",
        "reviews.response",
        "reviews.respondedAt",
        "reviews.createdAt",
        "reviews.flagCount",
        "users.name as customerName",
      ])
      .where("reviews.communityId", "=", communityId)
      .where("reviews.helperId", "=", userId)
      .orderBy("reviews.createdAt", "desc")
      .limit(50)
      .execute(),
    certificationsByUser(deps.db, communityId, [userId], now),
    reputationSettings(deps.db, communityId),
    ownOrStaff ? noShowCount(deps.db, communityId, userId) : null,
  ]);
  return {
    helper: {
      ...helperCard(helper, access.community.slug, certifications.get(userId) ?? [], reputation.ranks),
      bio: helper.bio,
      // The helper's home postal code tells where they live: for them and staff only.
      postalCode: ownOrStaff ? helper.postalCode : null,
      suspended: helper.status === "suspended",
      /**
       * Bookings staff marked as no-shows (upholding the customer's report): for the helper and staff only,
       * as one customer's word weighed once; the public sees ratings and completed jobs.
       */
      noShows,
      /** Whether the helper sells here now; only they and staff see a profile where this is false. */
      takesBookings: sells,
    },
    offers: offers.map((o) => toPublicOffer(o, o.serviceName)),
    reviews: reviews.map((r) => ({
      id: r.id,
      rating: r.rating,
      text: r.text,
      customer: r.customerName,
      response: r.response,
      respondedAt: r.respondedAt === null ? null : new Date(r.respondedAt).toISOString(),
      createdAt: new Date(r.createdAt).toISOString(),
      flagged: r.flagCount > 0,
      abilities: reviewAbilities(access, { helperId: userId, response: r.response }),
    })),
    /** Anyone but the helper may book their offers (visitors are asked to log in first). */
    abilities: { book: access.actor?.id !== userId },
  };
}
