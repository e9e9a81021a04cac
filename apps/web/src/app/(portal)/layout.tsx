import type { ReactNode } from "react";
import { requireOperator } from "@/lib/session";

const nav = [
  ["/", "Dashboard"],
  ["/tenants", "Tenants"],
  ["/environments", "Environments"],
  ["/hosts", "Hosts"],
  ["/policies", "Client policies"],
  ["/releases", "Collector releases"],
  ["/plans", "Plans & pricing"],
  ["/subscriptions", "Subscriptions"],
  ["/usage", "Usage explorer"],
  ["/anomalies", "Anomalies"],
  ["/invoices", "Invoices"],
  ["/invoice-runs", "Invoice runs"],
  ["/operators", "Operators"],
  ["/audit", "Audit log"],
] as const;

export default async function PortalLayout({ children }: { children: ReactNode }) {
  const user = await requireOperator();
  return (
    <div className="shell">
      <aside className="sidebar">
        <div className="brand">Meterplane</div>
        {nav.map(([href, label]) => (
          <a key={href} href={href}>
            {label}
          </a>
        ))}
        <div className="who">
          <div data-testid="who">
            {user.name} · {user.operatorRole}
          </div>
          <form method="post" action="/logout">
            <input type="hidden" name="csrf" value={user.csrfToken} />
            <button type="submit">Sign out</button>
          </form>
        </div>
      </aside>
      <main>{children}</main>
    </div>
  );
}
