import { randomBytes } from "node:crypto";
import { createRedis } from "@meterplane/queue";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loginThrottle } from "./login-throttle";

const redis = createRedis(process.env.REDIS_URL ?? "redis://127.0.0.1:6379");
beforeAll(async () => {
  if (redis.status !== "ready") await new Promise((resolve) => redis.once("ready", resolve));
});
afterAll(() => redis.quit());
const aThrottle = () => loginThrottle(redis, `{mp-test-${randomBytes(4).toString("hex")}}`);

async function fail(throttle: ReturnType<typeof aThrottle>, email: string, address: string, times: number) {
  for (let i = 0; i < times; i++) {
    await throttle.check({ email, address });
    await throttle.failed({ email, address });
  }
}

describe("sign-in limits", () => {
  it("stop one address guessing an account's password, and leave the owner at another address alone", async () => {
    const throttle = aThrottle();
    await fail(throttle, "jo@acme.test", "198.51.100.9", 10);
    await expect(throttle.check({ email: "jo@acme.test", address: "198.51.100.9" })).rejects.toMatchObject({
      code: "RATE_LIMITED",
    });
    await expect(throttle.check({ email: "jo@acme.test", address: "203.0.113.7" })).resolves.toBeUndefined();
  });

  it("stop one address trying many accounts", async () => {
    const throttle = aThrottle();
    for (let i = 0; i < 30; i++) await fail(throttle, `user${i}@acme.test`, "198.51.100.9", 1);
    await expect(throttle.check({ email: "new@acme.test", address: "198.51.100.9" })).rejects.toMatchObject({
      code: "RATE_LIMITED",
    });
  });

  it("slow guesses at one account from many addresses to one every few seconds, but never the owner's known browser", async () => {
    const throttle = aThrottle();
    const email = "owner@acme.test";
    const { device } = await throttle.succeeded({ email });
    for (let i = 0; i < 10; i++) await fail(throttle, email, `198.51.100.${i}`, 1);
    // The next guess from a fresh address gets through, the one right after it waits.
    await expect(throttle.check({ email, address: "192.0.2.1" })).resolves.toBeUndefined();
    await expect(throttle.check({ email, address: "192.0.2.2" })).rejects.toMatchObject({
      code: "RATE_LIMITED",
    });
    // The owner, in a browser that signed in before, is not slowed, however often the attacker tries.
    for (let i = 0; i < 3; i++)
      await expect(throttle.check({ email, address: "203.0.113.7", device })).resolves.toBeUndefined();
    await expect(
      throttle.check({ email, address: "203.0.113.7", device: "forged-device-token" }),
    ).rejects.toMatchObject({ code: "RATE_LIMITED" });
  });

  it("count failures only: the owner's successful sign-ins use up nothing", async () => {
    const throttle = aThrottle();
    for (let i = 0; i < 20; i++) {
      await throttle.check({ email: "jo@acme.test", address: "203.0.113.7" });
      await throttle.succeeded({ email: "jo@acme.test" });
    }
    await expect(throttle.check({ email: "jo@acme.test", address: "203.0.113.7" })).resolves.toBeUndefined();
  });
});
