/**
 * What the benches ask of search: queries a customer would type, rotated so a bench does not
 * measure one cached plan. One list for `npm run bench` and `npm run bench:search`.
 */

/** Rare words of the bench corpus. */
export const SEARCHES = [
  "router disconnecting",
  "tv box error",
  "invoice charges twice",
  "esim activated",
  "wifi slow evening",
  "voicemail",
  "roaming abroad",
  "mesh repeater",
];

/** Words every post of the bench corpus holds ("router", "internet"): the slowest case for the ranking. */
export const COMMON_WORD_SEARCHES = ["router not working", "router", "internet connection problem"];

export const SIMILAR_TITLES = [
  "My router keeps disconnecting every evening",
  "TV box shows an error after the update",
  "Invoice charges me twice this month",
  "Cannot activate my eSIM on a new phone",
];

export const COMMON_WORD_SIMILAR_TITLES = ["Router not working", "Problem with my router and internet connection"];
