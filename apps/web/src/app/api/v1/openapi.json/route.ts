import { openApiDocument } from "@/lib/openapi";

// Built once per process: the document only changes with the code.
const body = JSON.stringify(openApiDocument());

export function GET() {
  return new Response(body, {
    headers: { "Content-Type": "application/json", "Cache-Control": "public, max-age=300" },
  });
}
