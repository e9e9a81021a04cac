import { lastBatches } from "@meterplane/fleet";
import { notFound } from "next/navigation";
import { AnomalyBadge } from "@/components/anomalies/anomaly-badge";
import {
  ActionForm,
  Badge,
  DataTable,
  Field,
  Hidden,
  PageHeader,
  Section,
  SelectField,
} from "@/components/ui";
import { isUuid } from "@/lib/fields";
import { services } from "@/lib/server";
import { hasRole, requireOperator } from "@/lib/session";
import {
  issueEnrollmentTokenAction,
  removeHostAction,
  revokeCredentialAction,
  updateHostAction,
} from "../actions";
import { HostState, UpgradeState, when } from "../host-state";

export const dynamic = "force-dynamic";

export default async function HostPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  if (!isUuid(id)) notFound();
  const user = await requireOperator();
  const { prisma } = services().db;
  const [host, policies] = await Promise.all([
    prisma.host.findUnique({
      where: { id },
      include: {
        policy: true,
        credentials: { orderBy: { createdAt: "desc" } },
        environments: { where: { removedAt: null }, include: { tenant: { select: { name: true } } } },
      },
    }),
    prisma.clientPolicy.findMany({ orderBy: { name: "asc" }, select: { id: true, name: true } }),
  ]);
  if (!host || host.removedAt) notFound();
  const lastBatch = (await lastBatches({ db: services().db, hostIds: [host.id] })).get(host.id);
  const admin = hasRole(user, "admin");
  return (
    <>
      <PageHeader title={host.name}>
        <HostState lastSeenAt={host.lastSeenAt} />
        <AnomalyBadge filter={{ hostId: host.id }} href={`/anomalies?host=${host.id}`} />
      </PageHeader>
      <p className="muted">
        Last contact {when(host.lastSeenAt)} · collector {host.collectorVersion ?? "not reported yet"} · group{" "}
        {host.group ?? "default"} · policy {host.policy?.name ?? "default"}
      </p>
      <p className="muted" data-testid="collector-state">
        Collector {host.collectorVersion ?? "not reported yet"} · upgrade{" "}
        <UpgradeState state={host.upgradeState} target={host.upgradeTarget} reason={host.upgradeReason} /> ·
        last batch {lastBatch ? `#${lastBatch.sequence} at ${when(lastBatch.receivedAt)}` : "none yet"}
      </p>
      {admin ? (
        <Section title="Enrollment">
          <ActionForm
            action={issueEnrollmentTokenAction}
            submit="Issue enrollment token"
            testId="issue-token"
          >
            <Hidden name="hostId" value={host.id} />
            <span className="muted">
              A one-time token, valid 24 hours, that the collector trades for a credential.
            </span>
          </ActionForm>
          <ActionForm
            action={removeHostAction}
            submit="Remove host"
            variant="danger"
            testId="remove-host"
            confirm={`Remove ${host.name}? Its credentials are revoked and its environments stop being metered; its usage history stays.`}
          >
            <Hidden name="hostId" value={host.id} />
          </ActionForm>
          <ActionForm action={updateHostAction} submit="Save group and policy">
            <Hidden name="hostId" value={host.id} />
            <Field label="Group" name="group" defaultValue={host.group ?? ""} placeholder="(default)" />
            <SelectField
              label="Client policy"
              name="policyId"
              defaultValue={host.policyId ?? ""}
              options={[
                { value: "", label: "default" },
                ...policies.map((p) => ({ value: p.id, label: p.name })),
              ]}
            />
          </ActionForm>
        </Section>
      ) : null}
      <Section title="Credentials">
        <DataTable
          rows={host.credentials}
          rowKey={(c) => c.id}
          empty="No credential yet: issue an enrollment token and run `meterplane-collector enroll` on the host."
          columns={[
            { key: "prefix", label: "Prefix", render: (c) => <code>mpc_{c.prefix}_…</code> },
            { key: "created", label: "Issued", render: (c) => when(c.createdAt) },
            { key: "used", label: "Last used", render: (c) => when(c.lastUsedAt) },
            {
              key: "state",
              label: "State",
              render: (c) =>
                c.revokedAt ? (
                  <Badge tone="bad">revoked {when(c.revokedAt)}</Badge>
                ) : admin ? (
                  <ActionForm
                    inline
                    action={revokeCredentialAction}
                    submit="Revoke"
                    variant="danger"
                    confirm="Revoke this credential? The collector stops shipping until re-enrolled."
                  >
                    <Hidden name="credentialId" value={c.id} />
                  </ActionForm>
                ) : (
                  <Badge tone="good">active</Badge>
                ),
            },
          ]}
        />
      </Section>
      <Section title="Environments on this host">
        <DataTable
          rows={host.environments}
          rowKey={(e) => e.id}
          empty={<a href="/environments">Add an environment on this host</a>}
          columns={[
            { key: "name", label: "Name", render: (e) => <a href={`/environments/${e.id}`}>{e.name}</a> },
            { key: "tenant", label: "Tenant", render: (e) => e.tenant.name },
            { key: "kind", label: "Kind", render: (e) => e.kind },
            { key: "selector", label: "Selector", render: (e) => <code>{e.selector}</code> },
          ]}
        />
      </Section>
    </>
  );
}
