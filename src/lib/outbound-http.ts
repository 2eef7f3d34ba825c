import dns from "node:dns";
import http from "node:http";
import https from "node:https";
import net from "node:net";

/**
 * Requests the server makes to addresses someone else chose (webhooks). Unless allowed, they
 * never reach loopback, private, link-local, multicast, unspecified or otherwise special
 * addresses, so an admin cannot make the server probe its own network (SSRF). The address is
 * checked where the connection is made: after DNS (a name that resolves, or later re-resolves,
 * to an internal address is refused) and again on the connected socket.
 */
// One list per family: a BlockList matches IPv4 addresses against IPv6 rules as IPv4-mapped ones.
const INTERNAL_V4 = new net.BlockList();
const INTERNAL_V6 = new net.BlockList();
for (const [network, prefix] of [
  ["0.0.0.0", 8], // "this network", 0.0.0.0
  ["10.0.0.0", 8],
  ["100.64.0.0", 10], // carrier-grade NAT
  ["127.0.0.0", 8],
  ["169.254.0.0", 16], // link-local, cloud metadata
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.0.2.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["198.51.100.0", 24],
  ["203.0.113.0", 24],
  ["224.0.0.0", 4], // multicast
  ["240.0.0.0", 4], // reserved, broadcast
] as const) {
  INTERNAL_V4.addSubnet(network, prefix, "ipv4");
}
for (const [network, prefix] of [
  ["::", 128], // unspecified
  ["::1", 128],
  ["::", 96], // IPv4-compatible
  ["::ffff:0:0", 96], // IPv4-mapped: would reach any IPv4 address
  ["64:ff9b::", 96], // NAT64
  ["100::", 64], // discard
  ["2001:db8::", 32],
  ["2002::", 16], // 6to4 embeds an IPv4 address
  ["fc00::", 7], // unique local
  ["fe80::", 10], // link-local
  ["fec0::", 10], // site-local
  ["ff00::", 8], // multicast
] as const) {
  INTERNAL_V6.addSubnet(network, prefix, "ipv6");
}

/** Whether an IP address is one a request to a third party must not reach; anything unparsable counts as internal. */
export function isInternalAddress(address: string): boolean {
  const family = net.isIP(address);
  if (family === 0) return true;
  return family === 4 ? INTERNAL_V4.check(address, "ipv4") : INTERNAL_V6.check(address, "ipv6");
}

/** The request was refused before it reached an internal address. */
export class InternalAddressError extends Error {
  constructor(readonly address: string) {
    super(`Refused to connect to the internal address ${address}.`);
    this.name = "InternalAddressError";
  }
}

/** The receiver took longer than allowed. */
export class OutboundTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`No answer within ${timeoutMs} ms.`);
    this.name = "OutboundTimeoutError";
  }
}

/** The host of a URL as an IP address when it is one (the URL parser already turned 2130706433 into 127.0.0.1). */
function literalAddress(url: URL): string | null {
  const host = url.hostname.replace(/^\[(.*)\]$/, "$1");
  return net.isIP(host) ? host : null;
}

/**
 * Whether a URL names an internal address outright (an IP literal or localhost), so a form can
 * refuse it when it is saved. Names are resolved only when a request is made.
 */
export function namesInternalAddress(raw: string): boolean {
  const url = new URL(raw);
  const literal = literalAddress(url);
  if (literal) return isInternalAddress(literal);
  const host = url.hostname.toLowerCase().replace(/\.$/, "");
  return host === "localhost" || host.endsWith(".localhost");
}

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | dns.LookupAddress[],
  family?: number,
) => void;

/** dns.lookup that drops internal addresses, and fails when none is left. */
function publicLookup(hostname: string, options: dns.LookupOptions, callback: LookupCallback): void {
  dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, []);
    const allowed = addresses.filter((a) => !isInternalAddress(a.address));
    if (allowed.length === 0) return callback(new InternalAddressError(addresses[0]?.address ?? hostname), []);
    if (options.all) return callback(null, allowed);
    callback(null, allowed[0].address, allowed[0].family);
  });
}

export interface OutboundPost {
  url: string;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
  /** Let the request reach internal addresses (an on-premises receiver); the operator's choice. */
  allowInternal: boolean;
}

/** POSTs a body and resolves with the response status; redirects are not followed. */
export function postOutbound(request: OutboundPost): Promise<number> {
  const url = new URL(request.url);
  const literal = literalAddress(url);
  if (!request.allowInternal && literal && isInternalAddress(literal)) {
    return Promise.reject(new InternalAddressError(literal));
  }
  const client = url.protocol === "https:" ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.request(url, {
      method: "POST",
      headers: { ...request.headers, "content-length": String(Buffer.byteLength(request.body)) },
      // A fresh connection each time: a kept-alive socket would skip the checks below.
      agent: false,
      ...(request.allowInternal ? {} : { lookup: publicLookup }),
    });
    const timer = setTimeout(() => req.destroy(new OutboundTimeoutError(request.timeoutMs)), request.timeoutMs);
    req.on("socket", (socket) => {
      socket.once("connect", () => {
        const remote = socket.remoteAddress ?? "";
        if (!request.allowInternal && isInternalAddress(remote)) req.destroy(new InternalAddressError(remote));
      });
    });
    req.on("response", (res) => {
      // The status is the answer; the body is not read.
      clearTimeout(timer);
      resolve(res.statusCode ?? 0);
      res.destroy();
    });
    req.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    req.end(request.body);
  });
}
