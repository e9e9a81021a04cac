import { z } from "zod";

/** zod pieces for HTML form values, which arrive as strings (or arrays of strings for repeated fields). */
export const fields = {
  id: z.uuid({ message: "pick an item from the list" }),
  /** A real UTC calendar day, `YYYY-MM-DD` (so not `9999-99-99`, which new Date() turns into an Invalid Date). */
  day: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .refine((value) => {
      const date = new Date(`${value}T00:00:00.000Z`);
      return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
    }, "not a date"),
  text: (max = 200) => z.string().trim().min(1, { message: "fill this in" }).max(max),
  optionalText: (max = 200) =>
    z
      .string()
      .trim()
      .max(max)
      .optional()
      .transform((v) => (v ? v : null)),
  list: z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform((v) => (v === undefined || v === "" ? [] : Array.isArray(v) ? v : [v])),
  checkbox: z
    .string()
    .optional()
    .transform((v) => v === "on" || v === "true"),
  decimal: z
    .string()
    .trim()
    .regex(/^\d+(\.\d{1,12})?$/, { message: "enter a number like 12 or 0.05" }),
  date: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, { message: "enter a date like 2026-11-01" })
    .transform((v) => new Date(`${v}T00:00:00.000Z`)),
  /** An optional UTC date and time from a `datetime-local` input (`YYYY-MM-DDTHH:MM`); empty is none. */
  optionalDateTime: z
    .union([
      z.literal("").transform(() => undefined),
      z
        .string()
        .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, { message: "enter a date and time like 2026-11-01T09:30" })
        .transform((v) => new Date(`${v}:00.000Z`))
        .refine((d) => !Number.isNaN(d.getTime()), "not a date and time"),
    ])
    .optional(),
};

export const environmentKinds = ["process_tree", "cgroup", "systemd_unit", "container"] as const;

/** Whether a route or query parameter is a uuid (checked before it reaches SQL, where a malformed one is a 500). */
export function isUuid(value: string | undefined): value is string {
  return fields.id.safeParse(value).success;
}
