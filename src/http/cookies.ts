import type { FastifyRequest } from "fastify";

declare module "fastify" {
  interface FastifyInstance {
    /** SECURE_COOKIES: cookies are Secure and `__Host-` prefixed. */
    secureCookies: boolean;
  }
}

/**
 * Over HTTPS a cookie's name carries the `__Host-` prefix: browsers then accept it only when it
 * is Secure, for path `/` and without a Domain, so a sibling subdomain cannot plant or shadow it.
 * Plain HTTP (local use) keeps the bare name, which browsers would refuse with the prefix.
 */
export function cookieName(name: string, secure: boolean): string {
  return secure ? `__Host-${name}` : name;
}

/** The value of one of our cookies on this request, under the name the installation uses. */
export function readCookie(req: FastifyRequest, name: string): string | undefined {
  return req.cookies[cookieName(name, req.server.secureCookies)];
}
