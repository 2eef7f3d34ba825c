/**
 * The public module of the communities domain: what other domains may use of it. Everything else in
 * src/communities/ is its own business (the composition root, src/app, may wire any of it).
 */
// Its events (membership.ended), which other domains emit and hear of.
import "./communities.events.ts";
export { type LoadedAccess, communityAccess, inCommunity, rememberAccess } from "./communities.access.ts";
export { SCOPES, categoryParams, createCommunityBody, updateCategoryBody } from "./communities.schema.ts";
export { updateCommunityBody } from "./communities.schema.ts";
export { communitySettingsCard } from "./communities.views.ts";
export {
  ensureMember,
  listCategories,
  listMemberships,
  listVisibleCategories,
  updateCategory,
  updateCommunity,
} from "./communities.service.ts";
export {
  type AllowedOriginsInput,
  allowedOrigins,
  allowedOriginsBody,
  isAllowedOrigin,
  setAllowedOrigins,
  webOrigin,
} from "./communities.origins.ts";
