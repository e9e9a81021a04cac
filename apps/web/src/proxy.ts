import { type NextRequest, NextResponse } from "next/server";
import { env } from "@/lib/env";

/**
 * A Content-Security-Policy for every page with a fresh nonce per request: Next reads the nonce from the
 * request's CSP header and puts it on its own scripts, so no inline script runs without it — no
 * `unsafe-inline` for scripts. Styles keep `unsafe-inline`: React writes `style` attributes, which a nonce
 * cannot cover. The headers every response carries (API, files, ingest too) are set in server.mjs.
 */
export function proxy(request: NextRequest) {
  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(18))).toString("base64");
  const policy = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${env().NODE_ENV === "development" ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
  const headers = new Headers(request.headers);
  headers.set("x-nonce", nonce);
  headers.set("content-security-policy", policy);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("content-security-policy", policy);
  return response;
}

export const config = {
  // Pages only: API routes, files and Next's static assets carry server.mjs's fixed policy.
  matcher: [{ source: "/((?!api/|_next/static|_next/image|favicon.ico|metrics).*)" }],
};
