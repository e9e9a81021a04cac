import { AppError, type PickerMatches } from "@meterplane/core";
import type { Database } from "@meterplane/db";
import { searchHosts, searchTenants } from "@meterplane/fleet";
import { searchPlanVersions } from "@meterplane/invoicing";
import { z } from "zod";
import { handleApiError } from "@/lib/api";
import { fields } from "@/lib/fields";
import { services } from "@/lib/server";
import { currentUser } from "@/lib/session";

export const dynamic = "force-dynamic";

type Search = (input: { db: Database; q: string; id?: string; exclude?: string }) => Promise<PickerMatches>;

/** What each picker searches; every operator may read these names, as the list pages show them all. */
const searches = new Map<string, Search>([
  ["tenants", searchTenants],
  ["hosts", searchHosts],
  ["plan-versions", searchPlanVersions],
]);

const query = z.object({
  // Postgres refuses a NUL in text: a 400 here, not a 500 there.
  q: z
    .string()
    .max(100)
    .refine((q) => !q.includes("\0"), "no NUL characters")
    .default(""),
  id: fields.id.optional(),
  exclude: fields.id.optional(),
});

/**
 * The matches of a form's search picker (`components/ui/picker.tsx`) as JSON: `?q=` what was typed, `?id=`
 * the one record a form holds, `?exclude=` one to leave out. For operators only: a tenant's user signed in
 * through the same login is refused, not shown the names of other tenants. A read: no CSRF token needed.
 */
export async function GET(request: Request, { params }: { params: Promise<{ kind: string }> }) {
  try {
    const user = await currentUser();
    if (!user) throw new AppError("UNAUTHENTICATED", "sign in first");
    if (!user.operatorRole) throw new AppError("FORBIDDEN", "for operators only");
    const search = searches.get((await params).kind);
    if (!search) throw new AppError("NOT_FOUND", "no such picker");
    const input = query.parse(Object.fromEntries(new URL(request.url).searchParams));
    const result = await search({ db: services().db, ...input });
    return Response.json(result, { headers: { "cache-control": "private, no-store" } });
  } catch (error) {
    return handleApiError(error);
  }
}
