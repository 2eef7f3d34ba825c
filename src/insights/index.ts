/**
 * The public module of the insights domain: what other domains may use of it. Everything else in
 * src/insights/ is its own business (the composition root, src/app, may wire any of it).
 */
export { insightsSettings } from "./insights.settings.ts";
export { forgetRollups } from "./insights.rollups.ts";
