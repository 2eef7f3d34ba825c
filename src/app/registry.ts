import { installAllCatalogs } from "./catalogs.ts";
import { installAllPrivileges } from "./privileges.ts";

/**
 * Installs what kits answer without being handed it each time: the message catalogs behind
 * `t()` and the privilege tables behind `can()`. Called first at start (server, app, scripts).
 */
export function installRegistries(): void {
  installAllCatalogs();
  installAllPrivileges();
}
