import type { Actor, Deps } from "../core/deps.ts";
import { notFound } from "../core/errors.ts";
import { communityAccess } from "../communities/index.ts";
import { bookableOffer } from "./catalog.service.ts";
import { bookingRefusal } from "./bookings.service.ts";
import { settingsOf } from "./marketplace.settings.ts";
import { freeSlots, SLOT_DAYS, SLOT_MINUTES } from "./marketplace.time.ts";
import { bookedBetween } from "./bookings.queries.ts";
import type { Slot } from "./marketplace.schema.ts";
import { iso } from "../lib/iso-time.ts";

/**
 * The helper's free appointments for an offer (ISO instants): weekly hours minus the helper's
 * accepted bookings; none while the offer may not be booked (its helper suspended, banned, or no
 * longer certified for the service), as booking refuses.
 */
export async function slotsOf(
  deps: Pick<Deps, "db" | "clock">,
  offer: { helperId: number; serviceId: number; availability: Slot[] },
  timezone: string,
  communityId: number,
): Promise<{ startsAt: string; endsAt: string }[]> {
  const from = deps.clock.now();
  if (await bookingRefusal(deps.db, { ...offer, communityId }, from)) return [];
  // One day more than the window, so a booking late on the last day in any zone is counted.
  const booked = await bookedBetween(deps.db, offer.helperId, from, from + (SLOT_DAYS + 1) * 24 * 3600_000);
  const free = freeSlots(offer.availability, booked, { from, days: SLOT_DAYS, timezone });
  return free.map((s) => ({ startsAt: iso(s.startsAt), endsAt: iso(s.endsAt) }));
}

/** Free slots of an active offer, for whoever may see the offer's community. */
export async function offerSlots(deps: Deps, offerId: number, actor: Actor | null) {
  const row = await deps.db.selectFrom("offers").select("communityId").where("id", "=", offerId).executeTakeFirst();
  if (!row) throw notFound("Offer");
  const access = await communityAccess(deps, { id: row.communityId }, actor, "Offer");
  const { timezone } = await settingsOf(deps.db, row.communityId);
  const offer = await bookableOffer(deps, access, offerId);
  return {
    timezone,
    slotMinutes: SLOT_MINUTES,
    days: SLOT_DAYS,
    slots: await slotsOf(deps, offer, timezone, row.communityId),
  };
}
