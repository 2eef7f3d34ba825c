import { installAllCatalogs } from "./catalogs.js";
import { installAllPrivileges } from "./privileges.js";
import { installLayout } from "./layout.js";
import { installAllSubscribers } from "./subscribers.js";
import { installExtensions } from "./extensions.js";
/**
 * Installs what kits answer without being handed it each time: the message catalogs behind
 * `t()`, the privilege tables behind `can()`, the parts of the page layout, the subscribers `emit()`
 * delivers events to, and the decisions other domains take inside the use cases of topics. Called first at start (server, app, scripts).
 */
export function installRegistries() {
    installAllCatalogs();
    installAllPrivileges();
    installLayout();
    installAllSubscribers();
    installExtensions();
}
