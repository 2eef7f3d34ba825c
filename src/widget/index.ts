/**
 * The public module of the widget domain (the search box other sites embed): what other domains
 * may use of it. The composition root wires the rest.
 */
export { widgetScriptPath } from "./widget.script.ts";
export { originsInput, originsValues, widgetSettingsCard } from "./widget.views.ts";
