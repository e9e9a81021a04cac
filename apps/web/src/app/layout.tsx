import type { ReactNode } from "react";
import "./globals.css";
import "./layout-shell.css";

export const metadata = { title: "Meterplane", description: "Usage billing for hosted applications" };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
