import { installAllCatalogs } from "./catalogs.ts";
import { installAllPrivileges } from "./privileges.ts";
import { installLayout } from "./layout.ts";

/**
 * Installs what kits answer without being handed it each time: the message catalogs behind
 * `t()`, the privilege tables behind `can()` and the parts of the page layout. Called first at start (server, app, scripts).
 */
export function installRegistries(): void {
  installAllCatalogs();
  installAllPrivileges();
  installLayout();
}
