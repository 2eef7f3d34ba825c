/**
 * The public module of the routing domain: what other domains may use of it. Everything else in
 * src/routing/ is its own business (the composition root, src/app, may wire any of it).
 */
export { routingSettingsBody } from "./routing.schema.ts";
export { type RoutingSettings, routedOfferStands, routingSettings, setRoutingSettings } from "./routing.service.ts";
export { rebuildCommunityExpertise } from "./expertise.service.ts";
export { routedAnswerColumns } from "./routing.stats.ts";
