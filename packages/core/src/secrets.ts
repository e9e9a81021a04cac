import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/**
 * Secrets handed to machines and people once: `<kind>_<prefix>_<secret>`. The prefix finds the row;
 * only a SHA-256 of the secret is stored (the secret is 192 random bits, so a slow hash adds nothing),
 * and it is compared in constant time.
 */
export type SecretKind = "mpc" | "mpe" | "mpk";

export interface IssuedSecret {
  token: string;
  prefix: string;
  secretHash: string;
}

export function issueSecret(kind: SecretKind): IssuedSecret {
  const prefix = randomBytes(6).toString("hex");
  const secret = randomBytes(24).toString("base64url");
  return { token: `${kind}_${prefix}_${secret}`, prefix, secretHash: hashSecret(secret) };
}

export function hashSecret(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}

export function parseSecret(kind: SecretKind, token: string): { prefix: string; secret: string } | null {
  const match = new RegExp(`^${kind}_([0-9a-f]{12})_([A-Za-z0-9_-]{32})$`).exec(token);
  return match ? { prefix: match[1]!, secret: match[2]! } : null;
}

export function secretMatches(secret: string, storedHash: string): boolean {
  const a = Buffer.from(hashSecret(secret), "hex");
  const b = Buffer.from(storedHash, "hex");
  return a.length === b.length && timingSafeEqual(a, b);
}
