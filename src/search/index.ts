/**
 * The public module of the search domain: what other domains may use of it. Everything else in
 * src/search/ is its own business (the composition root, src/app, may wire any of it).
 */
export { type SearchLocale, analyze, queryTermsOf, searchLocale } from "./search.text.ts";
export { DEFLECTION_SLOT_MS, deflectionActivity, recordDeflectionEvent } from "./deflection.service.ts";
export { ensureIndexed } from "./search.index.ts";
export { importDuplicateMark } from "./duplicates.ts";
export { articleAllowsSql } from "./articles.visibility.ts";
