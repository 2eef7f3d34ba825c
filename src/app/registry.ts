import { installAllCatalogs } from "./catalogs.ts";
import { installAllPrivileges } from "./privileges.ts";
import { installLayout } from "./layout.ts";
import { installAllSubscribers } from "./subscribers.ts";
import { installExtensions } from "./extensions.ts";

/**
 * Installs what kits answer without being handed it each time: the message catalogs behind
 * `t()`, the privilege tables behind `can()`, the parts of the page layout, the subscribers `emit()`
 * delivers events to, and the decisions other domains take inside the use cases of topics. Called first at start
 * (server, app, scripts).
 */
export function installRegistries(): void {
  installAllCatalogs();
  installAllPrivileges();
  installLayout();
  installAllSubscribers();
  installExtensions();
}
