/**
 * The public module of the marketplace domain: what other domains may use of it (accounts call off
 * a leaving member's open bookings and job requests and erase a leaving customer's contact details;
 * the sitemap lists only helpers in good standing, by the rule the search uses). Everything else in
 * src/marketplace/ is its own business (the composition root, src/app, may wire any of it).
 */
export { helperInGoodStanding } from "./applications.service.ts";
export { cancelOpenBookingsOf } from "./bookings.service.ts";
export { eraseCustomerContact } from "./bookings.jobs.ts";
export { callOffJobRequests } from "./job-requests.service.ts";
export { HELPER_PHOTO_KEY } from "./marketplace.photos.ts";
export { DEFAULT_SETTINGS as DEFAULT_MARKETPLACE_SETTINGS } from "./marketplace.settings.ts";
