/**
 * The public module of the communities domain: what other domains may use of it. Everything else in
 * src/communities/ is its own business (the composition root, src/app, may wire any of it).
 */
export { communityAccess, inCommunity } from "./communities.access.js";
export { SCOPES, categoryParams, updateCategoryBody } from "./communities.schema.js";
export { ensureMember, listCategories, listMemberships, listVisibleCategories, updateCategory, } from "./communities.service.js";
