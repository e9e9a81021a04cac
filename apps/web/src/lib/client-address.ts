import { BlockList, isIP } from "node:net";
import { env } from "./env";

/**
 * The header server.mjs sets on every request it hands to Next: the address of the socket's peer. Any
 * value a client sends under this name is overwritten, so it cannot be forged.
 */
export const peerHeader = "x-meterplane-peer";

/** `TRUSTED_PROXIES`: addresses and CIDR ranges (`10.0.0.0/8`, `::1`) of the proxies in front of the web app. */
export function parseTrustedProxies(text: string): BlockList {
  const list = new BlockList();
  for (const entry of text
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)) {
    const [address = "", bits] = entry.split("/");
    const type = isIP(address) === 6 ? "ipv6" : isIP(address) === 4 ? "ipv4" : undefined;
    if (!type) throw new Error(`not an IP address or CIDR range: ${entry}`);
    const prefix = bits === undefined ? (type === "ipv4" ? 32 : 128) : Number(bits);
    if (!Number.isInteger(prefix) || prefix < 0 || prefix > (type === "ipv4" ? 32 : 128))
      throw new Error(`bad prefix length in ${entry}`);
    list.addSubnet(address, prefix, type);
  }
  return list;
}

function trusted(proxies: BlockList, address: string): boolean {
  const plain = address.startsWith("::ffff:") && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
  const type = isIP(plain);
  return type !== 0 && proxies.check(plain, type === 6 ? "ipv6" : "ipv4");
}

/**
 * The client's address: the socket's peer, unless that peer is a configured proxy; then `X-Forwarded-For`
 * read from the right, skipping the configured proxies, so a client cannot choose its address by sending
 * the header itself (only the hops our own proxies appended are believed).
 */
export function resolveClientAddress({
  peer,
  forwardedFor,
  trustedProxies,
}: {
  peer: string;
  forwardedFor: string | null;
  trustedProxies: BlockList;
}): string {
  if (!trusted(trustedProxies, peer)) return peer;
  const hops = (forwardedFor ?? "")
    .split(",")
    .map((hop) => hop.trim())
    .filter(Boolean);
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hops[i] as string;
    if (!trusted(trustedProxies, hop)) return hop;
  }
  return hops[0] ?? peer;
}

/** This request's client address (see `resolveClientAddress`). */
export function clientAddress(headers: Headers): string {
  return resolveClientAddress({
    peer: headers.get(peerHeader) ?? "unknown",
    forwardedFor: headers.get("x-forwarded-for"),
    trustedProxies: env().TRUSTED_PROXIES,
  });
}
