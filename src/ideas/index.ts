/**
 * The public module of the ideas domain: what other domains may use of it (the community's
 * analytics take the ideas figures from here). Everything else in src/ideas/ is its own business.
 */
export { ideaFigures, ideaFiguresFor } from "./ideas.service.ts";
export { IDEA_STATUSES, ideaStatusLabel } from "./ideas.schema.ts";
