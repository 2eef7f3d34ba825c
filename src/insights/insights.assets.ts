import { defineAsset } from "../web/assets.ts";

/** The Insights page's cards, charts and tables. */
export const insightsStylesheet = defineAsset(new URL("./insights.css", import.meta.url));
