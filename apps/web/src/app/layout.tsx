import { connection } from "next/server";
import type { ReactNode } from "react";
import "./globals.css";
import "./layout-shell.css";

export const metadata = { title: "Meterplane", description: "Usage billing for hosted applications" };

/** Rendered per request, never at build time: Next can only put the request's CSP nonce on a page it renders then. */
export default async function RootLayout({ children }: { children: ReactNode }) {
  await connection();
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
