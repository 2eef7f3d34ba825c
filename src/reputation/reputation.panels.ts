import type { CommunityAccess } from "../access/access.ts";
import type { Html } from "../web/html.ts";
import { renderParts, type PageContext } from "../web/layout.ts";

/** A member's profile as other domains see it, to add their panel (moderation: suspend, warn). */
export interface ProfileSubject {
  access: CommunityAccess;
  userId: number;
  /** The profile's address; forms post below it. */
  base: string;
  suspended: boolean;
}

export type ProfilePanel = (page: PageContext, subject: ProfileSubject) => Html | "" | Promise<Html | "">;

let installed: readonly ProfilePanel[] = [];

/** The composition root lists the panels other domains put on member profiles. */
export function installProfilePanels(panels: readonly ProfilePanel[]): void {
  installed = panels;
}

export function renderProfilePanels(page: PageContext, subject: ProfileSubject) {
  return renderParts(
    page,
    installed.map((panel) => (p: PageContext) => panel(p, subject)),
  );
}
