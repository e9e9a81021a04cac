import { apiReferenceBundle } from "@/lib/api-reference";

const documentUrl = "/api/v1/openapi.json";

/**
 * Scalar's settings: the document the API serves; system fonts instead of Scalar's font CDN; none of its
 * hosted extras (AI agent, MCP, SDK generation, the request client), which would talk to scalar.com; curl as
 * the first request example; every group open (seven operations fit one page).
 */
const configuration = {
  url: documentUrl,
  withDefaultFonts: false,
  telemetry: false,
  showDeveloperTools: "never",
  hideClientButton: true,
  hideTestRequestButton: true,
  agent: { disabled: true },
  mcp: { disabled: true },
  documentDownloadType: "json",
  defaultOpenAllTags: true,
  defaultHttpClient: { targetKey: "shell", clientKey: "curl" },
};
const mount = `Scalar.createApiReference("#reference", ${JSON.stringify(configuration).replaceAll("<", "\\u003c")});`;

/**
 * The API reference, rendered in the browser by Scalar from the same OpenAPI document that
 * /api/v1/openapi.json serves: grouped by tag, searchable, a curl example per operation. A plain HTML page,
 * not a React one: Scalar owns the DOM it mounts into, which React's hydration would otherwise take back.
 * Both scripts carry the nonce of the CSP that src/proxy.ts puts on this response; the bundle comes from our
 * origin (lib/api-reference.ts). The mount point is not `#api-reference`: Scalar would mount there on its own,
 * with its default settings (fonts from its CDN), before the call below.
 */
export function GET(request: Request) {
  const nonce = request.headers.get("x-nonce") ?? "";
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>API reference · Meterplane</title>
<link rel="icon" href="data:,">
</head>
<body>
<div id="reference"></div>
<noscript><p>The reference needs JavaScript. The OpenAPI document: <a href="${documentUrl}">${documentUrl}</a>.</p></noscript>
<script nonce="${nonce}" src="/docs/api/reference.js?v=${apiReferenceBundle().version}"></script>
<script nonce="${nonce}">${mount}</script>
</body>
</html>
`;
  return new Response(html, { headers: { "Content-Type": "text/html; charset=utf-8" } });
}
