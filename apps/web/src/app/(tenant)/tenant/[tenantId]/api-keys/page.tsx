import { apiScopes, listApiKeys } from "@meterplane/access";
import { ActionForm, Checkboxes, EmptyState, Field, Hidden, PageHeader, Section } from "@/components/ui";
import { services } from "@/lib/server";
import { requireTenantUser } from "@/lib/tenant-session";
import { createKey, revokeKey } from "./actions";

const when = (at: Date | null) => (at ? `${at.toISOString().slice(0, 16).replace("T", " ")} UTC` : "never");

export default async function ApiKeysPage({ params }: { params: Promise<{ tenantId: string }> }) {
  const { tenantId } = await requireTenantUser((await params).tenantId);
  const keys = await listApiKeys({ db: services().db, tenantId });
  return (
    <>
      <PageHeader title="API keys" />
      <Section title="New key">
        <ActionForm action={createKey} submit="Create key" testId="create-key">
          <Hidden name="tenantId" value={tenantId} />
          <Field label="Name" name="name" required maxLength={100} placeholder="e.g. finance export" />
          <Checkboxes label="Scopes" name="scopes" options={[...apiScopes]} checked={["usage:read"]} />
        </ActionForm>
      </Section>
      <Section title="Keys">
        {keys.length ? (
          <table data-testid="api-keys">
            <thead>
              <tr>
                <th>Name</th>
                <th>Prefix</th>
                <th>Scopes</th>
                <th>Created</th>
                <th>Last used</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {keys.map((key) => (
                <tr key={key.id} data-prefix={key.prefix}>
                  <td>{key.name}</td>
                  <td>
                    <code>mpk_{key.prefix}_…</code>
                  </td>
                  <td>{key.scopes.join(", ")}</td>
                  <td>{when(key.createdAt)}</td>
                  <td data-testid="last-used">{when(key.lastUsedAt)}</td>
                  <td>
                    {key.revokedAt ? (
                      `revoked ${when(key.revokedAt)}`
                    ) : (
                      <ActionForm
                        action={revokeKey}
                        submit="Revoke"
                        variant="danger"
                        inline
                        confirm="Revoke this key? Requests using it will fail."
                      >
                        <Hidden name="tenantId" value={tenantId} />
                        <Hidden name="keyId" value={key.id} />
                      </ActionForm>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <EmptyState title="No API keys yet">
            Create one to read your usage and invoices from /api/v1.
          </EmptyState>
        )}
      </Section>
    </>
  );
}
