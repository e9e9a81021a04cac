import { redirect } from "next/navigation";
import { requireTenantUser } from "@/lib/tenant-session";

/** Where tenant users land after signing in: their (first) tenant's usage. */
export default async function TenantHome() {
  const user = await requireTenantUser();
  redirect(`/tenant/${user.tenantId}/usage`);
}
