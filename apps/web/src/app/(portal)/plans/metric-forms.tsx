import { aggregations } from "@meterplane/billing";
import type { Prisma } from "@meterplane/db";

import { meterDimensions, meterNames, meters } from "@meterplane/wire";
import { ActionForm, DataTable, Field, Hidden, SelectField } from "@/components/ui";
import { archiveMetricAction, createMetricAction, editMetricAction } from "./metric-actions";

type BillableMetric = Prisma.BillableMetricGetPayload<object>;

const meterOptions = meterNames.map((m) => ({
  value: m,
  label: `${m} (${meters[m].kind}, ${meters[m].unit})`,
}));
const aggregationOptions = aggregations.map((a) => ({ value: a, label: a.replace("_", "-") }));
/** Every dimension any meter has, with its values: the form offers them all and the server checks the meter. */
const dimensions = Object.entries(
  Object.assign({}, ...Object.values(meterDimensions)) as Record<string, readonly string[]>,
);
const metersOf = (dimension: string) =>
  Object.entries(meterDimensions)
    .filter(([, d]) => dimension in d)
    .map(([meter]) => meter)
    .join(", ");

export function describeMetric(m: BillableMetric): string {
  const filter = Object.entries(m.filter as Record<string, string>)
    .map(([k, v]) => `${k}=${v}`)
    .join(", ");
  const of = `${m.meter}${filter ? ` where ${filter}` : ""}${m.uniqueBy ? ` by ${m.uniqueBy}` : ""}`;
  return `${m.aggregation}(${of}) ÷ ${m.divisor.toString()} → ${m.unit}`;
}

/** The fields a metric's definition has, filled with `metric`'s when editing. */
function DefinitionFields({ metric }: { metric?: BillableMetric }) {
  const filter = (metric?.filter ?? {}) as Record<string, string>;
  return (
    <>
      <Field label="Name" name="name" required placeholder="Egress" defaultValue={metric?.name} />
      <SelectField label="Meter" name="meter" options={meterOptions} defaultValue={metric?.meter} />
      <SelectField
        label="Aggregation"
        name="aggregation"
        options={aggregationOptions}
        defaultValue={metric?.aggregation}
        hint="sum: counters; time-weighted: level × time; count: samples"
      />
      {dimensions.map(([dimension, values]) => (
        <SelectField
          key={dimension}
          label={`Only ${dimension}`}
          name={dimension}
          options={[{ value: "", label: "any" }, ...values.map((v) => ({ value: v, label: v }))]}
          defaultValue={filter[dimension] ?? ""}
          hint={`a dimension of ${metersOf(dimension)}`}
        />
      ))}
      <SelectField
        label="Unique by"
        name="uniqueBy"
        options={[{ value: "", label: "environment" }, ...dimensions.map(([d]) => ({ value: d, label: d }))]}
        defaultValue={metric?.uniqueBy ?? ""}
        hint="for the unique aggregation: what distinct values to count"
      />
      <Field label="Unit" name="unit" required placeholder="GB" defaultValue={metric?.unit} />
      <Field
        label="Divisor"
        name="divisor"
        defaultValue={metric?.divisor.toString() ?? "1"}
        hint="the meter's unit per billed unit: bytes per GB 1000000000, core-seconds per hour 3600"
      />
    </>
  );
}

/** The latest version of each metric: a table, a form to add one, and per metric an edit and an archive. */
export function MetricSection({ metrics, canEdit }: { metrics: BillableMetric[]; canEdit: boolean }) {
  return (
    <>
      <DataTable
        testId="metrics"
        rows={metrics}
        // By code, not version id: a saved edit is a new version, and its row (with the form's notice) stays.
        rowKey={(m) => m.code}
        empty="No billable metrics: define one to charge for usage."
        columns={[
          { key: "code", label: "Code", render: (m) => <code>{m.code}</code> },
          { key: "name", label: "Name", render: (m) => m.name },
          {
            key: "def",
            label: "Definition",
            render: (m) => (
              <>
                {describeMetric(m)}
                <br />
                <small>
                  v{m.version}
                  {m.version > 1
                    ? ` from ${m.effectiveFrom.toISOString().slice(0, 16).replace("T", " ")} UTC`
                    : ""}
                  {m.archivedAt ? " · archived" : ""}
                </small>
              </>
            ),
          },
          ...(canEdit
            ? [
                {
                  key: "change",
                  label: "",
                  render: (m: BillableMetric) =>
                    m.archivedAt ? null : (
                      <details>
                        <summary>Edit or archive</summary>
                        <ActionForm action={editMetricAction} submit={`Save as version ${m.version + 1}`}>
                          <Hidden name="code" value={m.code} />
                          <DefinitionFields metric={m} />
                          <Field
                            label="Effective from (UTC, optional)"
                            name="effectiveFrom"
                            type="datetime-local"
                            hint="empty: now. Periods that start from then on bill by the new version; periods that started before keep this one"
                          />
                        </ActionForm>
                        <ActionForm
                          action={archiveMetricAction}
                          submit="Archive"
                          variant="danger"
                          inline
                          confirm={`Archive ${m.code}? Plans that charge for it keep doing so; new plans cannot.`}
                        >
                          <Hidden name="code" value={m.code} />
                        </ActionForm>
                      </details>
                    ),
                },
              ]
            : []),
        ]}
      />
      {canEdit ? (
        <ActionForm action={createMetricAction} submit="Add metric" testId="create-metric">
          <Field label="Code" name="code" required placeholder="egress_gb" hint="lowercase, digits and _" />
          <DefinitionFields />
        </ActionForm>
      ) : null}
    </>
  );
}
