import type { Actor, Deps } from "../core/deps.ts";
import type { Db } from "../db/database.ts";
import type { Database, OffersTable, ServicesTable } from "../db/schema.ts";
import { sql, type ExpressionBuilder, type Selectable } from "kysely";
import type { CommunityAccess } from "../access/access.ts";
import { isUniqueViolation } from "../db/errors.ts";
import { AppError, conflict, forbidden, notFound, validationFailed } from "../core/errors.ts";
import { certifiedAmong, hasCertification, requireCourseOf } from "../academy/index.ts";

import { settingsOf } from "./marketplace.settings.ts";
import { placeOf } from "./marketplace.geo.ts";
import { findHelper, helperInGoodStanding, userTakesPart } from "./applications.service.ts";
import type { OfferInput, ServiceInput, Slot } from "./marketplace.schema.ts";
import { communityAccess } from "../communities/index.ts";
import { can, requirePrivilege } from "../access/privileges.ts";

export type ServiceRow = Selectable<ServicesTable>;
export type OfferRow = Selectable<OffersTable>;

export const toMoney = (cents: number) => cents / 100;

export function toPublicService(s: ServiceRow) {
  return {
    id: s.id,
    name: s.name,
    description: s.description,
    maxPrice: toMoney(s.maxPriceCents),
    requiredCourseId: s.requiredCourseId,
    categoryId: s.categoryId,
  };
}

export function listServices(db: Db, communityId: number): Promise<ServiceRow[]> {
  return db.selectFrom("services").selectAll().where("communityId", "=", communityId).orderBy("name").execute();
}

export async function findService(db: Db, communityId: number, id: number, field = "serviceId"): Promise<ServiceRow> {
  const service = await db
    .selectFrom("services")
    .selectAll()
    .where("id", "=", id)
    .where("communityId", "=", communityId)
    .executeTakeFirst();
  if (!service) throw validationFailed({ [field]: "Unknown service." });
  return service;
}

export async function createService(deps: Deps, access: CommunityAccess, input: ServiceInput) {
  if (!can(access, "service.manage")) throw forbidden("Only staff maintain the service catalog.");
  const communityId = access.community.id;
  if (input.requiredCourseId) await requireCourseOf(deps.db, communityId, input.requiredCourseId, "requiredCourseId");
  if (input.categoryId) {
    const category = await deps.db
      .selectFrom("categories")
      .select("id")
      .where("id", "=", input.categoryId)
      .where("communityId", "=", communityId)
      .executeTakeFirst();
    if (!category) throw validationFailed({ categoryId: "Unknown category." });
  }
  const row = await deps.db
    .insertInto("services")
    .values({
      communityId,
      name: input.name,
      description: input.description,
      maxPriceCents: input.maxPrice,
      requiredCourseId: input.requiredCourseId,
      categoryId: input.categoryId,
      createdAt: deps.clock.now(),
    })
    .returningAll()
    .executeTakeFirstOrThrow()
    .catch((error) => {
      throw isUniqueViolation(error) ? conflict(`The catalog already has a service "${input.name}".`) : error;
    });
  return toPublicService(row);
}

export function toPublicOffer(o: OfferRow, serviceName: string) {
  return {
    id: o.id,
    helperId: o.helperId,
    serviceId: o.serviceId,
    service: serviceName,
    price: toMoney(o.priceCents),
    priceUnit: o.priceUnit,
    /** The currency the price is in and booked in: the community's when the offer was published. */
    currency: o.currency,
    postalCodes: JSON.parse(o.postalCodes) as string[],
    place: o.centerPostalCode ? { postalCode: o.centerPostalCode, radiusKm: o.radiusKm } : null,
    availability: JSON.parse(o.availability) as Slot[],
    active: Boolean(o.active),
  };
}

/**
 * Whether a service of the catalog that covers a topic's category may have someone to book: an
 * active offer by an approved helper who takes part in the community (not banned, not removed from
 * a private one). A subquery on the topic's row, read with the topic (marketplace/topic-link.ts):
 * it needs no clock, so the page's query stays prepared once; what depends on the time (a
 * suspension, an expired certification) is decided by bookableServiceFor, asked only when this
 * names a service (null: nobody can be booked for the category).
 */
export function offeredServiceOf(eb: ExpressionBuilder<Database, "topics">) {
  return eb
    .selectFrom("services")
    .select("services.id")
    .whereRef("services.communityId", "=", "topics.communityId")
    .whereRef("services.categoryId", "=", "topics.categoryId")
    .where((inner) =>
      inner.exists(
        inner
          .selectFrom("offers")
          .innerJoin("helpers", (join) =>
            join
              .onRef("helpers.userId", "=", "offers.helperId")
              .onRef("helpers.communityId", "=", "offers.communityId"),
          )
          .select("offers.id")
          .whereRef("offers.serviceId", "=", "services.id")
          .where("offers.active", "=", 1)
          .where("helpers.status", "=", "approved")
          .where(userTakesPart(sql.ref("offers.helperId"), sql.ref("offers.communityId"))),
      ),
    )
    .orderBy("services.name")
    .limit(1);
}

/**
 * The service, first by name, that covers the category and that someone may be booked for at
 * `now`: an active offer of an approved helper in good standing (helperInGoodStanding: not
 * suspended, not banned, taking part), certified for the service if it asks for it; as the finder
 * (matchingOffers) shows them. Null when there is none.
 */
export async function bookableServiceFor(
  db: Db,
  communityId: number,
  categoryId: number,
  now: number,
): Promise<number | null> {
  const rows = await db
    .selectFrom("services")
    .innerJoin("offers", "offers.serviceId", "services.id")
    .innerJoin("helpers", (join) =>
      join.onRef("helpers.userId", "=", "offers.helperId").onRef("helpers.communityId", "=", "offers.communityId"),
    )
    .select(["services.id", "services.requiredCourseId", "offers.helperId"])
    .where("services.communityId", "=", communityId)
    .where("services.categoryId", "=", categoryId)
    .where("offers.communityId", "=", communityId)
    .where("offers.active", "=", 1)
    .where("helpers.status", "=", "approved")
    .where(helperInGoodStanding(sql.ref("offers.helperId"), sql.ref("offers.communityId"), now))
    .orderBy("services.name")
    .orderBy("services.id")
    .execute();
  const certified = new Map<number, Set<number>>();
  for (const row of rows) {
    if (row.requiredCourseId === null) return row.id;
    let holders = certified.get(row.requiredCourseId);
    if (!holders) {
      const helpers = rows.filter((r) => r.requiredCourseId === row.requiredCourseId).map((r) => r.helperId);
      holders = await certifiedAmong(db, row.requiredCourseId, [...new Set(helpers)], now);
      certified.set(row.requiredCourseId, holders);
    }
    if (holders.has(row.helperId)) return row.id;
  }
  return null;
}

/** The offers of the community that take bookings, with their service and helper names; one query. */
function activeOffers(db: Db, communityId: number) {
  return db
    .selectFrom("offers")
    .innerJoin("services", "services.id", "offers.serviceId")
    .innerJoin("users", "users.id", "offers.helperId")
    .selectAll("offers")
    .select(["services.name as serviceName", "users.name as helperName"])
    .where("offers.communityId", "=", communityId)
    .where("offers.active", "=", 1);
}

/** An offer of this community that takes bookings, as its booking form shows it; "not found" otherwise. */
export async function bookableOffer(deps: Pick<Deps, "db">, access: CommunityAccess, id: number) {
  const offer = await activeOffers(deps.db, access.community.id).where("offers.id", "=", id).executeTakeFirst();
  if (!offer) throw notFound("Offer");
  return { ...toPublicOffer(offer, offer.serviceName), helperName: offer.helperName };
}

/** The viewer's own active offers in the community, for their dashboard. */
export async function myOffers(deps: Pick<Deps, "db">, access: CommunityAccess) {
  if (!access.actor) return [];
  const offers = await activeOffers(deps.db, access.community.id)
    .where("offers.helperId", "=", access.actor.id)
    .orderBy("offers.id")
    .execute();
  return offers.map((o) => toPublicOffer(o, o.serviceName));
}

/**
 * An approved helper publishes an offer: a service of the catalog, at most its recommended price, where
 * and when. Its price is in the community's currency of now and stays in it: staff changing the
 * currency later does not turn it into another one. An offer is never re-priced in place (the helper
 * withdraws it and publishes a new one, in the currency of then), so nothing else sets its currency.
 */
export async function createOffer(deps: Deps, access: CommunityAccess, input: OfferInput) {
  const actor = access.actor;
  if (!actor) throw forbidden("You need to log in to do this.");
  requirePrivilege(access, "offer.publish", "Only approved service friends can publish offers.");
  const communityId = access.community.id;
  const helper = await findHelper(deps.db, communityId, actor.id);
  if (helper?.status !== "approved") throw forbidden("Only approved service friends can publish offers.");
  const service = await findService(deps.db, communityId, input.serviceId);
  const { currency } = await settingsOf(deps.db, communityId);
  if (input.price > service.maxPriceCents)
    throw validationFailed({
      price: `The price is above the recommended maximum of ${currency} ${toMoney(service.maxPriceCents).toFixed(2)}.`,
    });
  if (
    service.requiredCourseId &&
    !(await hasCertification(deps.db, service.requiredCourseId, actor.id, deps.clock.now()))
  ) {
    const message = "This service requires a certification you do not hold yet.";
    throw new AppError("forbidden", message, { serviceId: message }, { key: "market.offer.certificationRequired" });
  }
  const center = input.place ? await placeOf(deps.db, input.place.postalCode) : undefined;
  if (input.place && !center)
    throw validationFailed({ "place.postalCode": "Unknown postal code; list the postal codes you serve instead." });
  const row = await deps.db
    .insertInto("offers")
    .values({
      communityId,
      helperId: actor.id,
      serviceId: service.id,
      priceCents: input.price,
      priceUnit: input.priceUnit,
      postalCodes: JSON.stringify([...new Set(input.postalCodes)]),
      centerPostalCode: center?.postalCode ?? null,
      lat: center?.lat ?? null,
      lon: center?.lon ?? null,
      radiusKm: input.place?.radiusKm ?? null,
      availability: JSON.stringify(input.availability),
      active: 1,
      createdAt: deps.clock.now(),
      currency,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toPublicOffer(row, service.name);
}

/** The helper (or staff) takes an offer off the market; bookings made on it stay. */
export async function withdrawOffer(deps: Deps, id: number, actor: Actor) {
  const offer = await deps.db.selectFrom("offers").selectAll().where("id", "=", id).executeTakeFirst();
  if (!offer) throw notFound("Offer");
  const access = await communityAccess(deps, { id: offer.communityId }, actor, "Offer");
  if (offer.helperId !== actor.id && !can(access, "market.staff")) throw notFound("Offer");
  await deps.db.updateTable("offers").set({ active: 0 }).where("id", "=", id).execute();
  return { ok: true };
}
