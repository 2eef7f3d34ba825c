import { defineAsset } from "../web/assets.ts";

/** The ideas board, an idea's timeline, and polls. */
export const ideasStylesheet = defineAsset(new URL("./ideas.css", import.meta.url));
