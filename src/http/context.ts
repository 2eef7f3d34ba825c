import type { Config } from "../config.ts";
import type { Db, Dialect } from "../db/database.ts";
import type { Clock } from "../lib/clock.ts";

/** What every use case may depend on; each takes only what it needs from it. */
export interface Deps {
  db: Db;
  dialect: Dialect;
  config: Config;
  clock: Clock;
}

/** The signed-in user making a request. */
export interface Actor {
  id: number;
  name: string;
  email: string;
  isPlatformAdmin: boolean;
  locale: string | null;
  /** How the request authenticated; cookie sessions need CSRF protection, tokens do not. */
  via: "session" | "token";
}
