import type { ReactNode } from "react";
import { requireOperator } from "@/lib/session";

export default async function PortalLayout({ children }: { children: ReactNode }) {
  const user = await requireOperator();
  return (
    <>
      <header className="top">
        <strong>Meterplane</strong>
        <nav>
          <a href="/">Environments</a>
        </nav>
        <span>
          {user.name} · {user.operatorRole}
        </span>
      </header>
      <main>{children}</main>
    </>
  );
}
