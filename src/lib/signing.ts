import crypto from "node:crypto";
import type { Db } from "../db/database.ts";
import { randomToken, safeEqual } from "./crypto.ts";

const secrets = new WeakMap<Db, Promise<string>>();

/** The installation's signing secret, created on first use and shared by every instance through the database. */
export function signingSecret(db: Db): Promise<string> {
  let secret = secrets.get(db);
  if (!secret) {
    secret = (async () => {
      await db
        .insertInto("settings")
        .values({ key: "signing_secret", value: randomToken(32) })
        .onConflict((oc) => oc.column("key").doNothing())
        .execute();
      const row = await db
        .selectFrom("settings")
        .select("value")
        .where("key", "=", "signing_secret")
        .executeTakeFirstOrThrow();
      return row.value;
    })();
    secrets.set(db, secret);
  }
  return secret;
}

/** HMAC-SHA256 of a purpose-qualified value; the purpose keeps a signature from being reused elsewhere. */
export function sign(secret: string, purpose: string, value: string): string {
  return crypto.createHmac("sha256", secret).update(`${purpose}\n${value}`).digest("base64url");
}

export function verifySignature(secret: string, purpose: string, value: string, signature: string): boolean {
  return safeEqual(sign(secret, purpose, value), signature);
}
