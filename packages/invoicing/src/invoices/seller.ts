import { z } from "zod";

/**
 * The seller's details that every invoice carries, configured once per installation (web env, see the
 * README). Payment terms give the due date: the issue date plus this many days.
 */
export const sellerEnv = {
  MP_SELLER_NAME: z.string().trim().min(1).default("Meterplane"),
  /** Postal address, lines separated by `|` ("1 Main St|Springfield 12345|US"). */
  MP_SELLER_ADDRESS: z.string().trim().default(""),
  MP_SELLER_EMAIL: z.email().optional(),
  /** VAT or other tax registration number, printed as given. */
  MP_SELLER_TAX_ID: z.string().trim().min(1).optional(),
  MP_PAYMENT_TERMS_DAYS: z.coerce.number().int().min(0).max(365).default(30),
};

export interface Seller {
  name: string;
  address: string[];
  email: string | null;
  taxId: string | null;
  paymentTermsDays: number;
}

const sellerSchema = z.object(sellerEnv);

/** The seller from parsed (or raw) environment variables. */
export function sellerFrom(env: Partial<Record<keyof typeof sellerEnv, unknown>>): Seller {
  const parsed = sellerSchema.parse(env);
  return {
    name: parsed.MP_SELLER_NAME,
    address: parsed.MP_SELLER_ADDRESS.split("|")
      .map((line) => line.trim())
      .filter(Boolean),
    email: parsed.MP_SELLER_EMAIL ?? null,
    taxId: parsed.MP_SELLER_TAX_ID ?? null,
    paymentTermsDays: parsed.MP_PAYMENT_TERMS_DAYS,
  };
}
