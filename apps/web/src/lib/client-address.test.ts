import { describe, expect, it } from "vitest";
import { parseTrustedProxies, resolveClientAddress } from "./client-address";

const none = parseTrustedProxies("");
const proxies = parseTrustedProxies("10.0.0.0/8, ::1");

describe("the client address", () => {
  it("is the socket's peer when no proxy is configured, whatever X-Forwarded-For says", () => {
    for (const forwardedFor of [null, "1.2.3.4", "5.6.7.8, 9.9.9.9"])
      expect(resolveClientAddress({ peer: "203.0.113.7", forwardedFor, trustedProxies: none })).toBe(
        "203.0.113.7",
      );
  });

  it("is the socket's peer when the peer is not a configured proxy", () => {
    expect(
      resolveClientAddress({ peer: "203.0.113.7", forwardedFor: "1.2.3.4", trustedProxies: proxies }),
    ).toBe("203.0.113.7");
  });

  it("behind a configured proxy, is the last hop the proxies did not add; a forged first hop is ignored", () => {
    expect(
      resolveClientAddress({
        peer: "10.0.0.2",
        forwardedFor: "6.6.6.6, 198.51.100.4, 10.1.2.3",
        trustedProxies: proxies,
      }),
    ).toBe("198.51.100.4");
    expect(
      resolveClientAddress({
        peer: "::ffff:10.0.0.2",
        forwardedFor: "198.51.100.4",
        trustedProxies: proxies,
      }),
    ).toBe("198.51.100.4");
    expect(resolveClientAddress({ peer: "::1", forwardedFor: null, trustedProxies: proxies })).toBe("::1");
  });

  it("refuses a TRUSTED_PROXIES entry that is not an address or range", () => {
    expect(() => parseTrustedProxies("proxy.internal")).toThrow(/proxy.internal/);
    expect(() => parseTrustedProxies("10.0.0.0/33")).toThrow(/prefix/);
  });
});
