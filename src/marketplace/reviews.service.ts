import type { Actor, Deps } from "../core/deps.ts";
import type { CommunityAccess } from "../access/access.ts";
import { isUniqueViolation } from "../db/errors.ts";
import { conflict, forbidden, notFound } from "../core/errors.ts";

import { announce, bookingFor } from "./bookings.service.ts";
import type { ReviewInput } from "./marketplace.schema.ts";
import { communityAccess } from "../communities/index.ts";
import { can, requirePrivilege } from "../access/privileges.ts";

const alreadyReviewed = () => conflict("You already reviewed this booking.");

/**
 * The customer of a completed booking reviews it, once; the helper's rating counters change in the same transaction.
 */
export async function createReview(deps: Deps, bookingId: number, actor: Actor, input: ReviewInput) {
  const { row, access, party, abilities } = await bookingFor(deps, bookingId, actor);
  if (party !== "customer") throw forbidden("Only the customer of a booking can review it.");
  requirePrivilege(access, "review.write", "You cannot write reviews in this community.");
  if (row.reviewId !== null) throw alreadyReviewed();
  if (!abilities.review) throw conflict("Only completed bookings can be reviewed.");
  const now = deps.clock.now();
  const review = await deps.db
    .transaction()
    .execute(async (trx) => {
      const review = await trx
        .insertInto("reviews")
        .values({
          bookingId,
          communityId: row.communityId,
          helperId: row.helperId,
          customerId: actor.id,
          rating: input.rating,
          text: input.text,
          response: null,
          respondedAt: null,
          flagCount: 0,
          createdAt: now,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      await trx
        .updateTable("helpers")
        .set((eb) => ({ ratingSum: eb("ratingSum", "+", input.rating), ratingCount: eb("ratingCount", "+", 1) }))
        .where("communityId", "=", row.communityId)
        .where("userId", "=", row.helperId)
        .execute();
      await announce(trx, deps, bookingId, "review_received", actor, `review:${review.id}`, input.text.slice(0, 200));
      return review;
    })
    .catch((error) => {
      // Two submissions racing past the check above meet the unique index on booking_id.
      throw isUniqueViolation(error) ? alreadyReviewed() : error;
    });
  deps.wakeJobs?.();
  return {
    id: review.id,
    bookingId,
    rating: review.rating,
    text: review.text,
    response: null,
    createdAt: new Date(now).toISOString(),
  };
}

async function reviewWithAccess(deps: Deps, id: number, actor: Actor) {
  const review = await deps.db.selectFrom("reviews").selectAll().where("id", "=", id).executeTakeFirst();
  if (!review) throw notFound("Review");
  const access = await communityAccess(deps, { id: review.communityId }, actor, "Review");
  return { review, access };
}

/** Where a review shows: on its helper's profile. */
export async function reviewUrl(deps: Deps, id: number, actor: Actor): Promise<string> {
  const { review, access } = await reviewWithAccess(deps, id, actor);
  return `/c/${access.community.slug}/helpers/${review.helperId}#review-${id}`;
}

/** The reviewed helper answers, once. */
export async function respondToReview(deps: Deps, id: number, actor: Actor, text: string) {
  const { review, access } = await reviewWithAccess(deps, id, actor);
  if (review.helperId !== actor.id) throw forbidden("Only the reviewed helper can answer a review.");
  requirePrivilege(access, "review.write", "You cannot answer reviews in this community.");
  const result = await deps.db
    .updateTable("reviews")
    .set({ response: text, respondedAt: deps.clock.now() })
    .where("id", "=", id)
    .where("response", "is", null)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) throw conflict("You already answered this review.");
  return { id, response: text };
}

/** Any participant flags a review for staff, once per member. */
export async function flagReview(deps: Deps, id: number, actor: Actor, reason: string) {
  const { access } = await reviewWithAccess(deps, id, actor);
  requirePrivilege(access, "review.flag", "Join this community to flag reviews.");
  await deps.db
    .transaction()
    .execute(async (trx) => {
      await trx
        .insertInto("reviewFlags")
        .values({ reviewId: id, userId: actor.id, reason, createdAt: deps.clock.now() })
        .execute();
      await trx
        .updateTable("reviews")
        .set((eb) => ({ flagCount: eb("flagCount", "+", 1) }))
        .where("id", "=", id)
        .execute();
    })
    .catch((error) => {
      throw isUniqueViolation(error) ? conflict("You already flagged this review.") : error;
    });
  return { ok: true };
}

/** Flagged reviews with their flags, for the staff queue. */
export async function flaggedReviews(deps: Deps, access: CommunityAccess) {
  if (!can(access, "market.staff")) throw forbidden("Only staff see flagged reviews.");
  const rows = await deps.db
    .selectFrom("reviews")
    .innerJoin("users as helper", "helper.id", "reviews.helperId")
    .select([
      "reviews.id",
      "reviews.rating",
      "reviews.text",
      "reviews.flagCount",
      "reviews.helperId",
      "helper.name as helperName",
      "reviews.createdAt",
    ])
    .where("reviews.communityId", "=", access.community.id)
    .where("reviews.flagCount", ">", 0)
    .orderBy("reviews.flagCount", "desc")
    .limit(100)
    .execute();
  return rows.map((r) => ({ ...r, createdAt: new Date(r.createdAt).toISOString() }));
}
