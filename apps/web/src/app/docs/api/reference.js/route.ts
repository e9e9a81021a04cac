import { apiReferenceBundle } from "@/lib/api-reference";

/** The renderer of /docs/api; the page names it with the package's version, so a year's caching is safe. */
export function GET() {
  return new Response(apiReferenceBundle().body, {
    headers: {
      "Content-Type": "text/javascript; charset=utf-8",
      "Cache-Control": "public, max-age=31536000, immutable",
    },
  });
}
