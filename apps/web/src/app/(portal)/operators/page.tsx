import { ActionForm, Badge, DataTable, Field, Hidden, PageHeader, SelectField } from "@/components/ui";
import { services } from "@/lib/server";
import { hasRole, requireOperator } from "@/lib/session";
import { createOperatorAction, updateOperatorAction } from "./actions";

export const dynamic = "force-dynamic";

const roles = ["owner", "admin", "billing", "viewer"].map((r) => ({ value: r, label: r }));

/** People who run the platform. Only owners change who may do what. */
export default async function OperatorsPage() {
  const user = await requireOperator();
  const operators = await services().db.prisma.user.findMany({
    where: { operatorRole: { not: null } },
    orderBy: { email: "asc" },
  });
  const owner = hasRole(user, "owner");
  return (
    <>
      <PageHeader title="Operators" />
      <p className="muted">
        viewer: reads everything · billing: plans, subscriptions, invoices · admin: also tenants and the fleet
        · owner: also operators.
      </p>
      {owner ? (
        <ActionForm action={createOperatorAction} submit="Add operator" testId="create-operator">
          <Field label="Name" name="name" required />
          <Field label="Email" name="email" type="email" required />
          <Field label="Initial password" name="password" type="password" required minLength={10} />
          <SelectField label="Role" name="operatorRole" options={roles} defaultValue="viewer" />
        </ActionForm>
      ) : null}
      <DataTable
        rows={operators}
        rowKey={(u) => u.id}
        empty="No operators."
        columns={[
          { key: "name", label: "Name", render: (u) => u.name },
          { key: "email", label: "Email", render: (u) => u.email },
          {
            key: "role",
            label: "Role",
            render: (u) =>
              owner && u.id !== user.userId ? (
                <ActionForm inline action={updateOperatorAction} submit="Save" variant="secondary">
                  <Hidden name="userId" value={u.id} />
                  <select name="operatorRole" defaultValue={u.operatorRole ?? "none"} aria-label="Role">
                    {[...roles, { value: "none", label: "no operator access" }].map((r) => (
                      <option key={r.value} value={r.value}>
                        {r.label}
                      </option>
                    ))}
                  </select>
                  <label>
                    <input type="checkbox" name="disabled" defaultChecked={!!u.disabledAt} /> disabled
                  </label>
                </ActionForm>
              ) : (
                <Badge>{u.operatorRole}</Badge>
              ),
          },
          {
            key: "state",
            label: "State",
            render: (u) =>
              u.disabledAt ? <Badge tone="bad">disabled</Badge> : <Badge tone="good">active</Badge>,
          },
        ]}
      />
    </>
  );
}
