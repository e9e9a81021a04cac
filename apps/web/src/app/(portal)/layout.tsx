import type { ReactNode } from "react";
import { type NavItem, SideNav } from "@/components/navigation/side-nav";
import { requireOperator } from "@/lib/session";

const nav: NavItem[] = [
  { href: "/", label: "Dashboard" },
  { href: "/tenants", label: "Tenants" },
  { href: "/environments", label: "Environments" },
  { href: "/hosts", label: "Hosts" },
  { href: "/policies", label: "Client policies" },
  { href: "/releases", label: "Collector releases" },
  { href: "/plans", label: "Plans & pricing" },
  { href: "/subscriptions", label: "Subscriptions" },
  { href: "/usage", label: "Usage explorer" },
  { href: "/anomalies", label: "Anomalies" },
  { href: "/invoices", label: "Invoices" },
  { href: "/invoice-runs", label: "Invoice runs" },
  { href: "/operators", label: "Operators" },
  { href: "/audit", label: "Audit log" },
];

export default async function PortalLayout({ children }: { children: ReactNode }) {
  const user = await requireOperator();
  return (
    <div className="shell">
      <SideNav brand="Meterplane" items={nav}>
        <div data-testid="who">
          {user.name} · {user.operatorRole}
        </div>
        <form method="post" action="/logout">
          <input type="hidden" name="csrf" value={user.csrfToken} />
          <button type="submit">Sign out</button>
        </form>
      </SideNav>
      <main>{children}</main>
    </div>
  );
}
