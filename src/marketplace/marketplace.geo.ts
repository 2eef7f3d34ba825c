import { slugify } from "../lib/slug.ts";
import type { Db } from "../db/database.ts";

export interface Point {
  lat: number;
  lon: number;
}

/** A postal code's place and coordinates, from the small table the migration seeds (Swiss postal codes). */
export function placeOf(db: Db, postalCode: string) {
  return db.selectFrom("postalPlaces").selectAll().where("postalCode", "=", postalCode).executeTakeFirst();
}

/**
 * The first postal code of a place, by its name in any letter case and with or without its
 * diacritics ("zürich" and "Zurich" find 8001). The table is small (the migration seeds it), so
 * names are folded here rather than by two engines' different SQL.
 */
export async function placeByName(db: Db, name: string) {
  const wanted = slugify(name);
  if (!wanted) return undefined;
  const places = await db.selectFrom("postalPlaces").selectAll().orderBy("postalCode").execute();
  return places.find((p) => slugify(p.place) === wanted);
}

/** Great-circle distance in kilometres (haversine). */
export function distanceKm(a: Point, b: Point): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.sqrt(h));
}

export interface ServiceArea {
  postalCodes: string[];
  center: Point | null;
  radiusKm: number | null;
}

/**
 * Whether an area serves a postal code, and how far its centre is (km, one decimal; null when
 * either place is not in the postal code table). A listed postal code is always served; otherwise
 * the place must lie within the radius.
 */
export function serves(
  area: ServiceArea,
  postalCode: string,
  target: Point | undefined,
): { served: boolean; distanceKm: number | null } {
  const distance = area.center && target ? Math.round(distanceKm(area.center, target) * 10) / 10 : null;
  if (area.postalCodes.includes(postalCode)) return { served: true, distanceKm: distance ?? 0 };
  return { served: distance !== null && area.radiusKm !== null && distance <= area.radiusKm, distanceKm: distance };
}
