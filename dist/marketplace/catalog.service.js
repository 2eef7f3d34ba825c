import { isUniqueViolation } from "../db/errors.js";
import { conflict, forbidden, notFound, validationFailed } from "../core/errors.js";
import { hasCertification, requireCourseOf } from "../academy/index.js";
import { settingsOf } from "./marketplace.settings.js";
import { placeOf } from "./marketplace.geo.js";
import { findHelper } from "./applications.service.js";
import { communityAccess } from "../communities/index.js";
import { can } from "../access/privileges.js";
export const toMoney = (cents) => cents / 100;
export function toPublicService(s) {
    return {
        id: s.id,
        name: s.name,
        description: s.description,
        maxPrice: toMoney(s.maxPriceCents),
        requiredCourseId: s.requiredCourseId,
        categoryId: s.categoryId,
    };
}
export function listServices(db, communityId) {
    return db.selectFrom("services").selectAll().where("communityId", "=", communityId).orderBy("name").execute();
}
export async function findService(db, communityId, id, field = "serviceId") {
    const service = await db
        .selectFrom("services")
        .selectAll()
        .where("id", "=", id)
        .where("communityId", "=", communityId)
        .executeTakeFirst();
    if (!service)
        throw validationFailed({ [field]: "Unknown service." });
    return service;
}
export async function createService(deps, access, input) {
    if (!can(access, "service.manage"))
        throw forbidden("Only staff maintain the service catalog.");
    const communityId = access.community.id;
    if (input.requiredCourseId)
        await requireCourseOf(deps.db, communityId, input.requiredCourseId, "requiredCourseId");
    if (input.categoryId) {
        const category = await deps.db
            .selectFrom("categories")
            .select("id")
            .where("id", "=", input.categoryId)
            .where("communityId", "=", communityId)
            .executeTakeFirst();
        if (!category)
            throw validationFailed({ categoryId: "Unknown category." });
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
export function toPublicOffer(o, currency, serviceName) {
    return {
        id: o.id,
        helperId: o.helperId,
        serviceId: o.serviceId,
        service: serviceName,
        price: toMoney(o.priceCents),
        priceUnit: o.priceUnit,
        currency,
        postalCodes: JSON.parse(o.postalCodes),
        place: o.centerPostalCode ? { postalCode: o.centerPostalCode, radiusKm: o.radiusKm } : null,
        availability: JSON.parse(o.availability),
        active: Boolean(o.active),
    };
}
/** The first service (by name) of the catalog covering the category that an approved helper offers; one query. */
export function serviceOfferedFor(deps, communityId, categoryId) {
    return deps.db
        .selectFrom("services")
        .select("services.id")
        .where("services.communityId", "=", communityId)
        .where("services.categoryId", "=", categoryId)
        .where((eb) => eb.exists(eb
        .selectFrom("offers")
        .innerJoin("helpers", (join) => join
        .onRef("helpers.userId", "=", "offers.helperId")
        .onRef("helpers.communityId", "=", "offers.communityId"))
        .select("offers.id")
        .whereRef("offers.serviceId", "=", "services.id")
        .where("offers.active", "=", 1)
        .where("helpers.status", "=", "approved")))
        .orderBy("services.name")
        .executeTakeFirst();
}
/** The offers of the community that take bookings, with their service and helper names; one query. */
function activeOffers(db, communityId) {
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
export async function bookableOffer(deps, access, id, currency) {
    const offer = await activeOffers(deps.db, access.community.id).where("offers.id", "=", id).executeTakeFirst();
    if (!offer)
        throw notFound("Offer");
    return { ...toPublicOffer(offer, currency, offer.serviceName), helperName: offer.helperName };
}
/** The viewer's own active offers in the community, for their dashboard. */
export async function myOffers(deps, access, currency) {
    if (!access.actor)
        return [];
    const offers = await activeOffers(deps.db, access.community.id)
        .where("offers.helperId", "=", access.actor.id)
        .orderBy("offers.id")
        .execute();
    return offers.map((o) => toPublicOffer(o, currency, o.serviceName));
}
/** An approved helper publishes an offer: a service of the catalog, at most its recommended price, where and when. */
export async function createOffer(deps, access, input) {
    const actor = access.actor;
    if (!actor)
        throw forbidden("You need to log in to do this.");
    const communityId = access.community.id;
    const helper = await findHelper(deps.db, communityId, actor.id);
    if (helper?.status !== "approved")
        throw forbidden("Only approved service friends can publish offers.");
    const service = await findService(deps.db, communityId, input.serviceId);
    const { currency } = await settingsOf(deps.db, communityId);
    if (input.price > service.maxPriceCents)
        throw validationFailed({
            price: `The price is above the recommended maximum of ${currency} ${toMoney(service.maxPriceCents).toFixed(2)}.`,
        });
    if (service.requiredCourseId &&
        !(await hasCertification(deps.db, service.requiredCourseId, actor.id, deps.clock.now()))) {
        throw forbidden("This service requires a certification you do not hold yet.");
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
    })
        .returningAll()
        .executeTakeFirstOrThrow();
    return toPublicOffer(row, currency, service.name);
}
/** The helper (or staff) takes an offer off the market; bookings made on it stay. */
export async function withdrawOffer(deps, id, actor) {
    const offer = await deps.db.selectFrom("offers").selectAll().where("id", "=", id).executeTakeFirst();
    if (!offer)
        throw notFound("Offer");
    const access = await communityAccess(deps, { id: offer.communityId }, actor, "Offer");
    if (offer.helperId !== actor.id && !can(access, "market.staff"))
        throw notFound("Offer");
    await deps.db.updateTable("offers").set({ active: 0 }).where("id", "=", id).execute();
    return { ok: true };
}
