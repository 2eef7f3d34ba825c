import { renderParts } from "../web/layout.js";
let installed = { above: [], below: [], postActions: [], newTopicIntro: [], newTopicAside: [] };
export function installTopicPanels(panels) {
    installed = panels;
}
export function topicPanels() {
    return installed;
}
/** The panels of one topic page, rendered together. */
export async function renderTopicPanels(page, data) {
    const [above, below] = await Promise.all([
        renderParts(page, installed.above.map((part) => (p) => part(p, data))),
        renderParts(page, installed.below.map((part) => (p) => part(p, data))),
    ]);
    return { above, below };
}
