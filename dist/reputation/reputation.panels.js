import { renderParts } from "../web/layout.js";
let installed = [];
/** The composition root lists the panels other domains put on member profiles. */
export function installProfilePanels(panels) {
    installed = panels;
}
export function renderProfilePanels(page, subject) {
    return renderParts(page, installed.map((panel) => (p) => panel(p, subject)));
}
