import { listTenantNames } from "@meterplane/fleet";
import type { ReactNode } from "react";
import { SideNav } from "@/components/navigation/side-nav";
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
  const tenants = await listTenantNames({ db: services().db, tenantIds: user.tenantIds });
  const current = tenants.find((t) => t.id === user.tenantId);
  const others = tenants.filter((t) => t.id !== user.tenantId);
  const base = `/tenant/${user.tenantId}`;
  const items = [
    { href: `${base}/usage`, label: "Usage" },
    { href: `${base}/estimate`, label: "Current period" },
    { href: `${base}/invoices`, label: "Invoices" },
    { href: `${base}/anomalies`, label: "Anomalies" },
    { href: `${base}/api-keys`, label: "API keys" },
    { href: "/docs/api", label: "API reference" },
  ];
  return (
    <div className="shell">
      <SideNav
        brand={current?.name ?? "Meterplane"}
        items={items}
        extra={
          others.length ? (
            <nav aria-label="Switch tenant" className="switch">
              <div className="muted">Switch to</div>
              {others.map((t) => (
                <a key={t.id} href={`/tenant/${t.id}/usage`}>
                  {t.name}
                </a>
              ))}
            </nav>
          ) : null
        }
      >
        <div data-testid="who">{user.name}</div>
        <form method="post" action="/logout">
          <input type="hidden" name="csrf" value={user.csrfToken} />
          <button type="submit">Sign out</button>
        </form>
      </SideNav>
      <main>{children}</main>
    </div>
  );
}
