import { defineAsset } from "../web/assets.js";
/** Ranks, champions, badges, rewards, moderation notices and the review queue. */
export const trustStylesheet = defineAsset(new URL("./trust.css", import.meta.url));
