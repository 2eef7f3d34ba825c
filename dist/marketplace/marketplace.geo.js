/** A postal code's place and coordinates, from the small table the migration seeds (Swiss postal codes). */
export function placeOf(db, postalCode) {
    return db.selectFrom("postalPlaces").selectAll().where("postalCode", "=", postalCode).executeTakeFirst();
}
/** The first postal code of a place, by its name in any letter case ("zürich" finds 8001). */
export function placeByName(db, name) {
    return db
        .selectFrom("postalPlaces")
        .selectAll()
        .where((eb) => eb(eb.fn("lower", ["place"]), "=", name.toLowerCase()))
        .orderBy("postalCode")
        .executeTakeFirst();
}
/** Great-circle distance in kilometres (haversine). */
export function distanceKm(a, b) {
    const rad = Math.PI / 180;
    const dLat = (b.lat - a.lat) * rad;
    const dLon = (b.lon - a.lon) * rad;
    const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
    return 2 * 6371 * Math.asin(Math.sqrt(h));
}
/**
 * Whether an area serves a postal code, and how far its centre is (km, one decimal; null when
 * either place is not in the postal code table). A listed postal code is always served; otherwise
 * the place must lie within the radius.
 */
export function serves(area, postalCode, target) {
    const distance = area.center && target ? Math.round(distanceKm(area.center, target) * 10) / 10 : null;
    if (area.postalCodes.includes(postalCode))
        return { served: true, distanceKm: distance ?? 0 };
    return { served: distance !== null && area.radiusKm !== null && distance <= area.radiusKm, distanceKm: distance };
}
