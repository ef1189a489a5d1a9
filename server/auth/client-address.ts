/**
 * The client's address, for the sign-in throttle, from what cannot be forged.
 *
 * A Next.js route handler does not see the socket: `next start` fills `X-Forwarded-For` with
 * the socket address only when the client sent none, so a client-supplied header reaches the
 * handler unchanged. Our server entry (scripts/serve.mjs, and the test server) therefore stamps
 * the socket address on `x-tc-peer-address`, replacing whatever the client sent, as
 * `<secret>:<address>` with a secret random per server process (server/auth/peer-stamp.mjs).
 * A header without that secret (`next dev`, plain `next start`: no secret at all) is a
 * client's forgery and is ignored: no address, so nothing is believed. The peer is
 * the client, unless it is one of `TRUSTED_PROXIES` (addresses or CIDRs): then the
 * `X-Forwarded-For` hops it appended are walked from the right, past trusted proxies, to the
 * first address no trusted proxy vouches for.
 */
import { timingSafeEqual } from "node:crypto";
import { BlockList, isIP } from "node:net";

/** As server/auth/peer-stamp.mjs names them (a test checks they agree). */
export const peerAddressHeader = "x-tc-peer-address";
export const peerStampSecretEnv = "TC_PEER_STAMP_SECRET";
/** Set by the auth route from `resolveClientAddress`; read by the throttle and better-auth. */
export const clientAddressHeader = "x-tc-client-address";

export type TrustedProxies = BlockList;

/** Parses `TRUSTED_PROXIES` ("10.0.0.1, 10.1.0.0/16, ::1"); throws on an entry it cannot read. */
export function parseTrustedProxies(value: string | undefined): TrustedProxies {
  const list = new BlockList();
  for (const entry of (value ?? "")
    .split(",")
    .map((e) => e.trim())
    .filter(Boolean)) {
    const [address, bits] = entry.split("/");
    const family = isIP(address ?? "");
    if (!address || family === 0) throw new Error(`TRUSTED_PROXIES: "${entry}" is not an IP address or CIDR`);
    const type = family === 6 ? "ipv6" : "ipv4";
    if (bits === undefined) list.addAddress(address, type);
    else {
      const prefix = Number(bits);
      if (!Number.isInteger(prefix) || prefix < 0 || prefix > (family === 6 ? 128 : 32))
        throw new Error(`TRUSTED_PROXIES: "${entry}" has a bad prefix length`);
      list.addSubnet(address, prefix, type);
    }
  }
  return list;
}

/** "::ffff:10.0.0.1" (an IPv4 client on a dual-stack socket) → "10.0.0.1". */
function normalise(address: string): string | null {
  const bare = address.trim().replace(/^\[(.*)\]$/, "$1");
  const v4 = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(bare)?.[1];
  const candidate = v4 ?? bare;
  return isIP(candidate) ? candidate : null;
}

function isTrusted(list: TrustedProxies, address: string): boolean {
  return list.check(address, isIP(address) === 6 ? "ipv6" : "ipv4");
}

/** The address in a peer stamp made with `secret`, or null (no secret, or not made with it). */
function stampedPeer(value: string | null, secret: string | undefined): string | null {
  if (!value || !secret) return null;
  const colon = value.indexOf(":");
  if (colon < 0) return null;
  const given = Buffer.from(value.slice(0, colon));
  const expected = Buffer.from(secret);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  return normalise(value.slice(colon + 1));
}

/** The client's address, or null when the request did not come through a stamping server. */
export function resolveClientAddress(
  headers: Headers,
  trusted: TrustedProxies,
  stampSecret = process.env[peerStampSecretEnv],
): string | null {
  const peer = stampedPeer(headers.get(peerAddressHeader), stampSecret);
  if (!peer) return null;
  if (!isTrusted(trusted, peer)) return peer;
  const hops = (headers.get("x-forwarded-for") ?? "").split(",").map(normalise);
  let client = peer;
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hops[i];
    if (!hop) break; // an unreadable hop: nothing to its left can be trusted
    client = hop;
    if (!isTrusted(trusted, hop)) break;
  }
  return client;
}

/** The address the auth route resolved (see `clientAddressHeader`). */
export function clientAddress(headers: Headers | undefined): string | null {
  return normalise(headers?.get(clientAddressHeader) ?? "");
}
