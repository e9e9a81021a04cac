import { notFound } from "next/navigation";
import { ActionForm, Badge, DataTable, Field, Hidden, PageHeader, Section } from "@/components/ui";
import { isUuid } from "@/lib/fields";
import { services } from "@/lib/server";
import { hasRole, requireOperator } from "@/lib/session";
import {
  addTenantUserAction,
  removeTenantUserAction,
  setTenantStatusAction,
  updateTenantAction,
} from "../actions";
import { StripeCollection } from "./stripe-collection";

export const dynamic = "force-dynamic";

export default async function TenantPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  if (!isUuid(id)) notFound();
  const user = await requireOperator();
  const { prisma } = services().db;
  const tenant = await prisma.tenant.findUnique({
    where: { id },
    include: {
      members: { include: { user: true }, orderBy: { createdAt: "asc" } },
      environments: { where: { removedAt: null }, include: { host: true }, orderBy: { name: "asc" } },
      subscriptions: { include: { planVersion: { include: { plan: true } } }, orderBy: { startAt: "desc" } },
    },
  });
  if (!tenant) notFound();
  const admin = hasRole(user, "admin");
  return (
    <>
      <PageHeader title={tenant.name}>
        <Badge tone={tenant.status === "active" ? "good" : "bad"}>{tenant.status}</Badge>
        {admin ? (
          <ActionForm
            inline
            action={setTenantStatusAction}
            variant={tenant.status === "active" ? "danger" : "primary"}
            submit={tenant.status === "active" ? "Suspend" : "Reactivate"}
            confirm={
              tenant.status === "active"
                ? "Suspend this tenant? Its users are signed out and its API keys stop at once; its environments are still metered and billed."
                : undefined
            }
          >
            <Hidden name="tenantId" value={tenant.id} />
            <Hidden name="status" value={tenant.status === "active" ? "suspended" : "active"} />
          </ActionForm>
        ) : null}
      </PageHeader>
      <p className="muted">
        <code>{tenant.slug}</code> · {tenant.currency} · {tenant.email ?? "no billing email"} · created{" "}
        {tenant.createdAt.toISOString().slice(0, 10)}
      </p>
      {admin ? (
        <Section title="Edit">
          <ActionForm action={updateTenantAction} submit="Save">
            <Hidden name="tenantId" value={tenant.id} />
            <Field label="Name" name="name" defaultValue={tenant.name} required />
            <Field label="Currency" name="currency" defaultValue={tenant.currency} required maxLength={3} />
            <Field label="Billing email" name="email" type="email" defaultValue={tenant.email ?? ""} />
          </ActionForm>
        </Section>
      ) : null}
      <Section title="Environments">
        <DataTable
          rows={tenant.environments}
          rowKey={(e) => e.id}
          empty={<a href={`/environments?tenant=${tenant.slug}`}>Add an environment for this tenant</a>}
          columns={[
            { key: "name", label: "Name", render: (e) => <a href={`/environments/${e.id}`}>{e.name}</a> },
            { key: "host", label: "Host", render: (e) => <a href={`/hosts/${e.hostId}`}>{e.host.name}</a> },
            { key: "kind", label: "Kind", render: (e) => e.kind },
            { key: "selector", label: "Selector", render: (e) => <code>{e.selector}</code> },
          ]}
        />
      </Section>
      <Section title="Subscriptions">
        <DataTable
          rows={tenant.subscriptions}
          rowKey={(s) => s.id}
          empty={<a href="/subscriptions">Subscribe this tenant to a plan</a>}
          columns={[
            {
              key: "plan",
              label: "Plan",
              render: (s) => `${s.planVersion.plan.name} v${s.planVersion.version}`,
            },
            { key: "status", label: "Status", render: (s) => s.status },
            { key: "start", label: "Start", render: (s) => s.startAt.toISOString().slice(0, 10) },
          ]}
        />
      </Section>
      <Section title="Users">
        <DataTable
          testId="tenant-users"
          rows={tenant.members}
          rowKey={(m) => m.userId}
          empty="No tenant users yet: they see this tenant's usage and invoices on the tenant pages."
          columns={[
            { key: "name", label: "Name", render: (m) => m.user.name },
            { key: "email", label: "Email", render: (m) => m.user.email },
            { key: "state", label: "State", render: (m) => (m.user.disabledAt ? "disabled" : "active") },
            {
              key: "actions",
              label: "",
              render: (m) =>
                admin ? (
                  <ActionForm
                    inline
                    action={removeTenantUserAction}
                    submit="Remove"
                    variant="danger"
                    confirm={`Remove ${m.user.email} from ${tenant.name}? They lose access to its pages at once.`}
                    testId="remove-user"
                  >
                    <Hidden name="tenantId" value={tenant.id} />
                    <Hidden name="userId" value={m.userId} />
                  </ActionForm>
                ) : null,
            },
          ]}
        />
        {admin ? (
          <ActionForm action={addTenantUserAction} submit="Add user">
            <Hidden name="tenantId" value={tenant.id} />
            <Field label="Name" name="name" required />
            <Field label="Email" name="email" type="email" required />
            <Field label="Initial password" name="password" type="password" required minLength={10} />
          </ActionForm>
        ) : null}
      </Section>
      <StripeCollection tenantId={tenant.id} canEdit={hasRole(user, "billing")} />
    </>
  );
}
