import { createHash, randomBytes } from "node:crypto";
import { AppError } from "@meterplane/core";
import type { Redis } from "ioredis";

/** Failed sign-ins an address may make in a window, across accounts, before it waits out the window. */
const perAddress = 30;
/** Failed sign-ins of one account from one address in a window. */
const perAccountAndAddress = 10;
/** Failed sign-ins of one account from everywhere in a window before attempts on it are spaced out. */
const perAccount = 10;
/** Past `perAccount`, an attempt on the account from a browser it has never signed in on: one per this. */
const accountSpacingSeconds = 5;
const windowSeconds = 900;
/** How long a browser that signed in to an account stays known to it. */
const knownDeviceSeconds = 90 * 86_400;

const hash = (text: string) => createHash("sha256").update(text).digest("base64url");

/**
 * Sign-in limits in Redis, shared by every web replica; emails and addresses are hashed, never stored.
 * Only failures count, so the owner's successful sign-ins never use up a limit. Keyed on the client's
 * address (never on a header a client can set; see client-address.ts), on the account and address, and
 * on the account alone: an attacker spreading guesses over many addresses is slowed to one guess per
 * account every few seconds, while a browser that has signed in to that account before (a random token
 * in a cookie, remembered in Redis) is not slowed, so an attack cannot lock the owner out.
 * When Redis is down the limits let attempts through rather than lock everyone out.
 */
export function loginThrottle(redis: Redis, prefix: string) {
  const key = (...parts: string[]) => `${prefix}:login:${parts.join(":")}`;
  const keys = (email: string, address: string) => ({
    address: key("address", hash(address)),
    accountAndAddress: key("pair", hash(`${email}|${address}`)),
    account: key("account", hash(email)),
    spacing: key("spacing", hash(email)),
  });
  const limited = (seconds: number) =>
    new AppError("RATE_LIMITED", `too many attempts; wait ${Math.max(seconds, 1)} seconds and try again`);

  return {
    /** Throws RATE_LIMITED when this attempt must wait; call before checking the password. */
    async check({ email, address, device }: { email: string; address: string; device?: string }) {
      const k = keys(email, address);
      try {
        const [byAddress, byPair, byAccount, known] = await Promise.all([
          redis.get(k.address),
          redis.get(k.accountAndAddress),
          redis.get(k.account),
          device ? redis.exists(key("device", hash(email), hash(device))) : 0,
        ]);
        if (Number(byAddress) >= perAddress) throw limited(await redis.ttl(k.address));
        if (Number(byPair) >= perAccountAndAddress) throw limited(await redis.ttl(k.accountAndAddress));
        if (Number(byAccount) >= perAccount && !known) {
          const first = await redis.set(k.spacing, "1", "EX", accountSpacingSeconds, "NX");
          if (first !== "OK") throw limited(await redis.ttl(k.spacing));
        }
      } catch (error) {
        if (error instanceof AppError) throw error;
      }
    },
    /** Counts a failed attempt against the address, the account and address, and the account. */
    async failed({ email, address }: { email: string; address: string }) {
      const k = keys(email, address);
      const multi = redis.multi();
      for (const name of [k.address, k.accountAndAddress, k.account])
        multi.incr(name).expire(name, windowSeconds, "NX");
      await multi.exec().catch(() => undefined);
    },
    /** After a successful sign-in: a token for the browser's cookie that marks it as known to the account. */
    async succeeded({ email }: { email: string }): Promise<{ device: string; maxAgeSeconds: number }> {
      const device = randomBytes(24).toString("base64url");
      await redis
        .set(key("device", hash(email), hash(device)), "1", "EX", knownDeviceSeconds)
        .catch(() => undefined);
      return { device, maxAgeSeconds: knownDeviceSeconds };
    },
  };
}
