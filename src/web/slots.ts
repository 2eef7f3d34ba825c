import type { Html } from "./html.ts";
import type { PageContext } from "./layout.ts";

/** A piece of every page a domain contributes to the layout; empty where it does not apply. */
export type LayoutPart = (page: PageContext) => Html | string | Promise<Html | string>;

/**
 * What the layout takes from the domains, filled by the composition root: the stylesheets of
 * every page, tools in the header (the community's search box), and the signed-in viewer's
 * account tools (the notification bell).
 */
export interface LayoutSlots {
  stylesheets: readonly string[];
  headerTools: readonly LayoutPart[];
  accountTools: readonly LayoutPart[];
}

let installed: LayoutSlots = { stylesheets: [], headerTools: [], accountTools: [] };

export function installLayoutSlots(slots: LayoutSlots): void {
  installed = slots;
}

export function layoutSlots(): LayoutSlots {
  return installed;
}

/** Renders a list of parts for one page, in order. */
export async function renderParts(page: PageContext, parts: readonly LayoutPart[]): Promise<(Html | string)[]> {
  return Promise.all(parts.map((part) => part(page)));
}
