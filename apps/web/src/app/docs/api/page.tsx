import { openApiDocument } from "@/lib/openapi";

/** The API reference, rendered from the same OpenAPI document that /api/v1/openapi.json serves. */
export default function ApiReferencePage() {
  const document = openApiDocument();
  return (
    <main className="docs">
      <h1>
        {document.info.title} <small>v{document.info.version}</small>
      </h1>
      <p>{document.info.description}</p>
      <p>
        Machine-readable: <a href="/api/v1/openapi.json">/api/v1/openapi.json</a> (OpenAPI {document.openapi}
        ).
      </p>
      {Object.entries(document.paths).map(([path, { get }]) => (
        <section key={path} id={get.operationId} className="section">
          <h2>
            <code>GET {path}</code> — {get.summary}
          </h2>
          <p style={{ whiteSpace: "pre-line" }}>{get.description}</p>
          {get.parameters.length ? (
            <table>
              <thead>
                <tr>
                  <th>Parameter</th>
                  <th>In</th>
                  <th>Required</th>
                  <th>Schema</th>
                  <th>Description</th>
                </tr>
              </thead>
              <tbody>
                {get.parameters.map((p) => (
                  <tr key={`${p.in}:${p.name}`}>
                    <td>
                      <code>{p.name}</code>
                    </td>
                    <td>{p.in}</td>
                    <td>{p.required ? "yes" : "no"}</td>
                    <td>
                      <code>{JSON.stringify(p.schema)}</code>
                    </td>
                    <td>{"description" in p ? String(p.description) : ""}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
          <details>
            <summary>Responses: {Object.keys(get.responses).join(", ")}</summary>
            <pre>{JSON.stringify(get.responses["200"].content, null, 2)}</pre>
          </details>
        </section>
      ))}
    </main>
  );
}
