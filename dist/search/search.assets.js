import { defineAsset } from "../web/assets.js";
/** Similar questions while typing, and deflection reports. */
export const similarScript = defineAsset(new URL("./similar.client.js", import.meta.url));
