import { meterNames } from "@meterplane/wire";
import { ActionForm, Checkboxes, DataTable, Field, Hidden, PageHeader, Section } from "@/components/ui";
import { services } from "@/lib/server";
import { hasRole, requireOperator } from "@/lib/session";
import { removeClientPolicyAction, saveClientPolicyAction } from "./actions";

export const dynamic = "force-dynamic";

interface ClientPolicy {
  id: string;
  name: string;
  intervalSeconds: number;
  meters: string[];
  spoolMaxBytes: bigint;
  transactionsUdpPort: number | null;
}

function PolicyForm({ policy }: { policy?: ClientPolicy }) {
  return (
    <ActionForm action={saveClientPolicyAction} submit={policy ? "Save policy" : "Create policy"}>
      <Hidden name="policyId" value={policy?.id ?? ""} />
      <Field label="Name" name="name" required defaultValue={policy?.name} />
      <Field
        label="Interval (s)"
        name="intervalSeconds"
        type="number"
        min={1}
        defaultValue={policy?.intervalSeconds ?? 10}
      />
      <Field
        label="Spool max (MiB)"
        name="spoolMaxMiB"
        type="number"
        min={1}
        defaultValue={policy ? Number(policy.spoolMaxBytes / 1_048_576n) : 256}
      />
      <Field
        label="Transactions UDP port"
        name="transactionsUdpPort"
        type="number"
        min={1}
        max={65535}
        defaultValue={policy?.transactionsUdpPort ?? ""}
        placeholder="collector's own (8125)"
      />
      <Checkboxes
        label="Meters (none ticked = all)"
        name="meters"
        options={meterNames}
        checked={policy?.meters}
      />
    </ActionForm>
  );
}

/** How collectors behave: sampling interval, meters, how much they may spool while the server is away. */
export default async function PoliciesPage({ searchParams }: { searchParams: Promise<{ edit?: string }> }) {
  const user = await requireOperator();
  const { edit } = await searchParams;
  const policies = await services().db.prisma.clientPolicy.findMany({
    orderBy: { name: "asc" },
    include: { _count: { select: { hosts: true } } },
  });
  const editing = policies.find((p) => p.id === edit);
  const admin = hasRole(user, "admin");
  return (
    <>
      <PageHeader title="Client policies" />
      <DataTable
        rows={policies}
        rowKey={(p) => p.id}
        empty="No policies: hosts use the defaults (10 s interval, every meter, 256 MiB spool)."
        columns={[
          {
            key: "name",
            label: "Name",
            render: (p) => (admin ? <a href={`?edit=${p.id}`}>{p.name}</a> : p.name),
          },
          { key: "interval", label: "Interval", numeric: true, render: (p) => `${p.intervalSeconds} s` },
          { key: "meters", label: "Meters", render: (p) => (p.meters.length ? p.meters.join(", ") : "all") },
          {
            key: "spool",
            label: "Spool max",
            numeric: true,
            render: (p) => `${p.spoolMaxBytes / 1_048_576n} MiB`,
          },
          {
            key: "transactions",
            label: "Transactions port",
            numeric: true,
            render: (p) => p.transactionsUdpPort ?? "collector's own",
          },
          { key: "version", label: "Version", numeric: true, render: (p) => p.version },
          { key: "hosts", label: "Hosts", numeric: true, render: (p) => p._count.hosts },
          ...(admin
            ? [
                {
                  key: "remove",
                  label: "",
                  render: (p: (typeof policies)[number]) => (
                    <ActionForm
                      inline
                      action={removeClientPolicyAction}
                      submit="Remove"
                      variant="danger"
                      confirm={`Remove policy ${p.name}? Its ${p._count.hosts} host(s) fall back to the defaults.`}
                    >
                      <Hidden name="policyId" value={p.id} />
                    </ActionForm>
                  ),
                },
              ]
            : []),
        ]}
      />
      {admin ? (
        <Section title={editing ? `Edit ${editing.name}` : "New policy"}>
          <PolicyForm key={editing?.id ?? "new"} policy={editing} />
        </Section>
      ) : null}
      <Section title="Credentials">
        <p className="muted">
          Host credentials are issued and revoked per host on the <a href="/hosts">Hosts</a> page; API keys
          live on the tenant pages.
        </p>
      </Section>
    </>
  );
}
