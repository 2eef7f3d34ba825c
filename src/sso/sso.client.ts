import type * as Oidc from "openid-client";
import type { Config, OidcProviderConfig } from "../core/config.ts";
import { notFound } from "../core/errors.ts";

/** Why a sign-in through a provider did not end in a session; each has its own page text. */
export type SsoFailureReason =
  | "state"
  | "nonce"
  | "code"
  | "denied"
  | "exchange"
  | "email_missing"
  | "email_invalid"
  | "email_unverified"
  | "email_linked";

export class SsoFailure extends Error {
  constructor(
    readonly reason: SsoFailureReason,
    detail: string,
  ) {
    super(detail);
  }
}

/** What a provider says about the person: the ID token's claims with the userinfo endpoint's over them. */
export type Claims = Record<string, unknown> & { sub: string };

/** What the callback needs to finish a sign-in; kept in a signed HttpOnly cookie meanwhile. */
export interface AuthorizationChecks {
  state: string;
  nonce: string;
  /** The PKCE code verifier; only its S256 challenge went to the provider. */
  verifier: string;
}

export function providerNamed(config: Config, name: string): OidcProviderConfig {
  const provider = config.oidcProviders.find((p) => p.name === name);
  if (!provider) throw notFound("Sign-in provider");
  return provider;
}

export function callbackUrl(config: Config, provider: OidcProviderConfig): string {
  return `${config.baseUrl}/auth/oidc/${provider.name}/callback`;
}

const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]"]);

/** openid-client is loaded with the first sign-in through a provider, not at start. */
const loadOidc = () => import("openid-client");

// Discovery documents and keys change rarely: one configuration per provider and process, retried after a failure.
const configurations = new Map<string, Promise<Oidc.Configuration>>();

/** The provider's discovered metadata and our client's credentials; plain HTTP only for a provider on loopback. */
function clientFor(provider: OidcProviderConfig): Promise<Oidc.Configuration> {
  const key = JSON.stringify([provider.issuer, provider.clientId, provider.clientSecret ?? null]);
  let configuration = configurations.get(key);
  if (!configuration) {
    const issuer = new URL(provider.issuer);
    const insecure = issuer.protocol === "http:" && LOOPBACK.has(issuer.hostname);
    configuration = loadOidc().then(async (oidc) => {
      const client = await oidc.discovery(
        issuer,
        provider.clientId,
        undefined,
        provider.clientSecret ? oidc.ClientSecretBasic(provider.clientSecret) : oidc.None(),
        insecure ? { execute: [oidc.allowInsecureRequests] } : undefined,
      );
      // openid-client trusts the token endpoint's TLS for the ID token by default: its signature is
      // checked against the provider's published keys only with this on.
      oidc.enableNonRepudiationChecks(client);
      return client;
    });
    configuration.catch(() => configurations.delete(key));
    configurations.set(key, configuration);
  }
  return configuration;
}

/** The provider's configuration; its discovery failing is the provider unreachable (an SsoFailure). */
async function reachProvider(provider: OidcProviderConfig): Promise<Oidc.Configuration> {
  try {
    return await clientFor(provider);
  } catch (error) {
    throw new SsoFailure("exchange", `provider unreachable: ${String(error)}`);
  }
}

/** Where to send the browser: an authorization code request with PKCE (S256), state and nonce. */
export async function authorizationRequest(
  config: Config,
  provider: OidcProviderConfig,
): Promise<{ url: string; checks: AuthorizationChecks }> {
  const [oidc, client] = await Promise.all([loadOidc(), reachProvider(provider)]);
  const checks = { state: oidc.randomState(), nonce: oidc.randomNonce(), verifier: oidc.randomPKCECodeVerifier() };
  const url = oidc.buildAuthorizationUrl(client, {
    redirect_uri: callbackUrl(config, provider),
    scope: provider.scopes,
    response_type: "code",
    code_challenge: await oidc.calculatePKCECodeChallenge(checks.verifier),
    code_challenge_method: "S256",
    state: checks.state,
    nonce: checks.nonce,
  });
  return { url: url.href, checks };
}

/** Whether the error, or one it wraps, is a failed comparison of this ID token claim. */
function isClaimMismatch(error: unknown, claim: string): boolean {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    if ((e.cause as { claim?: unknown } | undefined)?.claim === claim) return true;
  }
  return false;
}

const sameAddress = (a: unknown, b: unknown) =>
  typeof a === "string" && typeof b === "string" && a.trim().toLowerCase() === b.trim().toLowerCase();

/**
 * The userinfo's claims over the ID token's; but `email_verified` speaks only of the address it
 * came with: the ID token's flag does not verify another address the userinfo gives without one.
 */
function mergeClaims(idClaims: Claims, userinfo: Record<string, unknown>): Claims {
  const claims: Claims = { ...idClaims, ...userinfo, sub: idClaims.sub };
  const otherAddress = userinfo.email !== undefined && !sameAddress(userinfo.email, idClaims.email);
  if (otherAddress && userinfo.email_verified === undefined) delete claims.email_verified;
  return claims;
}

/**
 * The callback: checks the state, redeems the code with the PKCE verifier, checks the ID token
 * (signature, issuer, audience, nonce) and reads the userinfo. Throws an SsoFailure.
 */
export async function redeemCallback(
  config: Config,
  provider: OidcProviderConfig,
  checks: AuthorizationChecks,
  query: string,
): Promise<Claims> {
  const current = new URL(`${callbackUrl(config, provider)}?${query}`);
  const params = current.searchParams;
  // Checked before anything else: a callback this browser did not start must not reach the provider.
  if (params.getAll("state").length !== 1 || params.get("state") !== checks.state) {
    throw new SsoFailure("state", "The state does not match this sign-in.");
  }
  if (params.has("error")) throw new SsoFailure("denied", `The provider answered ${params.get("error")}.`);
  // A broken or forged answer (no single code, another issuer) is refused as such, not as an outage.
  if (params.getAll("code").length !== 1 || !params.get("code")) {
    throw new SsoFailure("code", "The answer carries no single authorization code.");
  }
  const [oidc, client] = await Promise.all([loadOidc(), reachProvider(provider)]);
  const metadata = client.serverMetadata();
  const iss = params.getAll("iss");
  const fromIssuer =
    iss.length === 0 ? !metadata.authorization_response_iss_parameter_supported : iss[0] === metadata.issuer;
  if (iss.length > 1 || !fromIssuer) throw new SsoFailure("state", "The answer names another issuer.");
  try {
    const tokens = await oidc.authorizationCodeGrant(client, current, {
      pkceCodeVerifier: checks.verifier,
      expectedState: checks.state,
      expectedNonce: checks.nonce,
      idTokenExpected: true,
    });
    const idClaims = tokens.claims()!;
    const userinfo = await oidc.fetchUserInfo(client, tokens.access_token, idClaims.sub);
    return mergeClaims(idClaims, userinfo);
  } catch (error) {
    if (isClaimMismatch(error, "nonce")) throw new SsoFailure("nonce", "The ID token's nonce does not match.");
    // The provider answered, and refused the code: used already (a replay), expired, or not for this verifier.
    if (error instanceof oidc.ResponseBodyError && error.error === "invalid_grant") {
      throw new SsoFailure("code", `The provider refused the code: ${error.error_description ?? error.error}.`);
    }
    throw new SsoFailure("exchange", error instanceof Error ? error.message : String(error));
  }
}
