import { onlyMatch } from "@meterplane/core";
import type { EnvironmentKind } from "@meterplane/db";
import { environmentHasUsage, searchHosts } from "@meterplane/fleet";
import { meterNames } from "@meterplane/wire";
import { ActionForm, Checkboxes, Field, Hidden, Picker, Section, SelectField } from "@/components/ui";
import { environmentKinds } from "@/lib/fields";
import { services } from "@/lib/server";
import { moveEnvironmentAction, removeEnvironmentAction, updateEnvironmentAction } from "../actions";

/** Kind, selector, tenant and meters of one environment; the host's client policy is set on the host. */
interface ConfigurableEnvironment {
  id: string;
  tenantId: string;
  hostId: string;
  createdAt: Date;
  name: string;
  kind: EnvironmentKind;
  selector: string;
  meters: string[];
}

export async function ConfigureEnvironment({ environment }: { environment: ConfigurableEnvironment }) {
  const [used, tenant, hosts] = await Promise.all([
    environmentHasUsage(services().db.prisma, environment),
    services().db.prisma.tenant.findUniqueOrThrow({
      where: { id: environment.tenantId },
      select: { id: true, name: true, slug: true },
    }),
    // Whether there is another host to move to; with only one, it is the choice already.
    searchHosts({ db: services().db, exclude: environment.hostId }),
  ]);
  const current = { id: tenant.id, label: `${tenant.name} (${tenant.slug})` };
  return (
    <Section title="Configure">
      <ActionForm action={updateEnvironmentAction} submit="Save configuration">
        <Hidden name="tenantId" value={environment.tenantId} />
        <Hidden name="environmentId" value={environment.id} />
        <Field label="Name" name="name" defaultValue={environment.name} required />
        <SelectField
          label="Kind"
          name="kind"
          defaultValue={environment.kind}
          options={environmentKinds.map((k) => ({ value: k, label: k }))}
        />
        <Field label="Selector" name="selector" defaultValue={environment.selector} required />
        {used ? (
          <label className="field">
            <span>
              Tenant (fixed: its usage so far is this tenant's. To meter it for another tenant from now on,
              remove this environment and add a new one for that tenant.)
            </span>
            <input value={current.label} readOnly aria-readonly />
            <Hidden name="newTenantId" value={current.id} />
          </label>
        ) : (
          <Picker label="Tenant" name="newTenantId" source="tenants" initial={current} />
        )}
        <Checkboxes
          label="Meters (none ticked = all)"
          name="meters"
          options={meterNames}
          checked={environment.meters}
        />
      </ActionForm>
      {hosts.matches.length ? (
        <ActionForm
          action={moveEnvironmentAction}
          submit="Move to host"
          testId="move-environment"
          confirm="Move this environment to the chosen host? Its current host stops metering it and the chosen one starts at the same instant, about a minute from now; usage continues without a gap or an overlap."
        >
          <Hidden name="tenantId" value={environment.tenantId} />
          <Hidden name="environmentId" value={environment.id} />
          <Picker
            label="Move to host (at the first tick both hosts share, after both have learnt of it)"
            name="toHostId"
            source="hosts"
            noun="host"
            exclude={environment.hostId}
            initial={onlyMatch(hosts)}
          />
        </ActionForm>
      ) : (
        <p className="muted">No other host to move it to: add the host it should move to first.</p>
      )}
      <ActionForm
        action={removeEnvironmentAction}
        submit="Remove environment"
        variant="danger"
        confirm="Stop metering this environment? Its usage so far stays billed."
      >
        <Hidden name="tenantId" value={environment.tenantId} />
        <Hidden name="environmentId" value={environment.id} />
        <span className="muted">Stops metering; usage already recorded stays on invoices.</span>
      </ActionForm>
    </Section>
  );
}
