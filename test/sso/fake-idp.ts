import crypto from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { OidcProviderConfig } from "../../src/core/config.ts";

/**
 * A minimal OpenID provider on 127.0.0.1 whose answers a test writes: discovery, its published key,
 * a token endpoint handing out the ID token described in `next` (signed by the published key or by
 * another one) and a userinfo endpoint. For what a real provider (provider.ts) would never send.
 */
export interface FakeIdp {
  config: OidcProviderConfig;
  /** The next ID token's claims (over iss, aud, iat, exp and the nonce), its signer, and the userinfo's claims. */
  next: {
    nonce: string;
    claims: Record<string, unknown> & { sub: string };
    signer: "published" | "unpublished";
    userinfo?: Record<string, unknown>;
  };
  close(): Promise<void>;
}

const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

export async function startFakeIdp(name = "fake"): Promise<FakeIdp> {
  const published = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 });
  const unpublished = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 });
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clientId = "crowdservice";
  const idp: FakeIdp = {
    config: { name, label: "Fake ID", issuer, clientId, clientSecret: "fake-secret", scopes: "openid email profile" },
    next: { nonce: "", claims: { sub: "nobody" }, signer: "published" },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  const idToken = () => {
    const now = Math.floor(Date.now() / 1000);
    const header = part({ alg: "RS256", typ: "JWT", kid: "k1" });
    const payload = part({
      iss: issuer,
      aud: clientId,
      iat: now,
      exp: now + 300,
      nonce: idp.next.nonce,
      ...idp.next.claims,
    });
    const key = idp.next.signer === "published" ? published.privateKey : unpublished.privateKey;
    return `${header}.${payload}.${crypto.sign("sha256", Buffer.from(`${header}.${payload}`), key).toString("base64url")}`;
  };
  server.on("request", (req, res) => {
    const json = (body: unknown) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    req.resume();
    switch (new URL(req.url ?? "/", issuer).pathname) {
      case "/.well-known/openid-configuration":
        return json({
          issuer,
          authorization_endpoint: `${issuer}/authorize`,
          token_endpoint: `${issuer}/token`,
          userinfo_endpoint: `${issuer}/userinfo`,
          jwks_uri: `${issuer}/jwks`,
          response_types_supported: ["code"],
          subject_types_supported: ["public"],
          id_token_signing_alg_values_supported: ["RS256"],
        });
      case "/jwks":
        return json({
          keys: [{ ...published.publicKey.export({ format: "jwk" }), kid: "k1", alg: "RS256", use: "sig" }],
        });
      case "/token":
        return json({ access_token: "an-access-token", token_type: "Bearer", expires_in: 300, id_token: idToken() });
      case "/userinfo":
        return json({ sub: idp.next.claims.sub, ...idp.next.userinfo });
      default:
        res.writeHead(404).end();
    }
  });
  return idp;
}
