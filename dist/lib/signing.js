import crypto from "node:crypto";
import { randomToken, safeEqual } from "./crypto.js";
const secrets = new WeakMap();
/** The installation's signing secret, created on first use and shared by every instance through the database. */
export function signingSecret(db) {
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
export function sign(secret, purpose, value) {
    return crypto.createHmac("sha256", secret).update(`${purpose}\n${value}`).digest("base64url");
}
export function verifySignature(secret, purpose, value, signature) {
    return safeEqual(sign(secret, purpose, value), signature);
}
