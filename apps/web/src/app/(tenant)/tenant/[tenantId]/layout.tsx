import type { ReactNode } from "react";
import { services } from "@/lib/server";
import { requireTenantUser } from "@/lib/tenant-session";

export default async function TenantLayout({
  children,
  params,
}: {
  children: ReactNode;
  params: Promise<{ tenantId: string }>;
}) {
  const user = await requireTenantUser((await params).tenantId);
  const tenants = await services().db.prisma.tenant.findMany({
    where: { id: { in: user.tenantIds } },
    select: { id: true, name: true },
    orderBy: { name: "asc" },
  });
  const current = tenants.find((t) => t.id === user.tenantId);
  const base = `/tenant/${user.tenantId}`;
  return (
    <>
      <header className="top">
        <strong>{current?.name ?? "Meterplane"}</strong>
        <nav>
          <a href={`${base}/usage`}>Usage</a>
          <a href={`${base}/estimate`}>Current period</a>
          <a href={`${base}/invoices`}>Invoices</a>
          <a href={`${base}/api-keys`}>API keys</a>
          <a href="/docs/api">API reference</a>
          {tenants
            .filter((t) => t.id !== user.tenantId)
            .map((t) => (
              <a key={t.id} href={`/tenant/${t.id}/usage`}>
                {t.name}
              </a>
            ))}
        </nav>
        <span>{user.name}</span>
        <form method="post" action="/logout">
          <input type="hidden" name="csrf" value={user.csrfToken} />
          <button type="submit">Sign out</button>
        </form>
      </header>
      <main>{children}</main>
    </>
  );
}
