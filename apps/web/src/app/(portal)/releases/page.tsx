import { listHostsBehind } from "@meterplane/fleet";
import { ActionForm, DataTable, Field, PageHeader, Section, SelectField } from "@/components/ui";
import { services } from "@/lib/server";
import { hasRole, requireOperator } from "@/lib/session";
import { when } from "../hosts/host-state";
import { forceUpgradeAction, publishReleaseAction } from "./actions";

export const dynamic = "force-dynamic";

export default async function ReleasesPage() {
  const user = await requireOperator();
  const { db } = services();
  const [releases, minimums, behind, groups] = await Promise.all([
    db.prisma.collectorRelease.findMany({ orderBy: { publishedAt: "desc" } }),
    db.prisma.minimumCollectorVersion.findMany({ orderBy: { group: "asc" } }),
    listHostsBehind({ db }),
    db.prisma.host.findMany({
      where: { group: { not: null } },
      distinct: ["group"],
      select: { group: true },
    }),
  ]);
  const admin = hasRole(user, "admin");
  return (
    <>
      <PageHeader title="Collector releases" />
      {admin ? (
        <ActionForm action={publishReleaseAction} submit="Publish release" testId="publish-release">
          <Field label="Version" name="version" required placeholder="1.4.2" />
          <Field label="Notes" name="notes" placeholder="what changed" />
        </ActionForm>
      ) : null}
      <DataTable
        rows={releases}
        rowKey={(r) => r.version}
        empty="No releases published yet: publish the version you ship before requiring it."
        columns={[
          { key: "version", label: "Version", render: (r) => <code>{r.version}</code> },
          { key: "notes", label: "Notes", render: (r) => r.notes },
          { key: "published", label: "Published", render: (r) => when(r.publishedAt) },
        ]}
      />
      <Section title="Forced upgrades">
        {admin && releases.length ? (
          <ActionForm
            action={forceUpgradeAction}
            submit="Require this version"
            variant="danger"
            testId="force-upgrade"
            confirm="Collectors older than this stop shipping until upgraded. Continue?"
          >
            <SelectField
              label="Minimum version"
              name="version"
              options={releases.map((r) => ({ value: r.version, label: r.version }))}
            />
            <SelectField
              label="For"
              name="group"
              options={[
                { value: "", label: "all hosts" },
                ...groups.map((g) => ({ value: g.group!, label: `group ${g.group}` })),
              ]}
            />
          </ActionForm>
        ) : null}
        <DataTable
          testId="minimums"
          rows={minimums}
          rowKey={(m) => m.id}
          empty="No minimum set: every collector version may ship."
          columns={[
            {
              key: "group",
              label: "Applies to",
              render: (m) => (m.group ? `group ${m.group}` : "all hosts"),
            },
            { key: "version", label: "Minimum", render: (m) => <code>{m.version}</code> },
            { key: "set", label: "Set", render: (m) => when(m.setAt) },
          ]}
        />
      </Section>
      <Section title={`Hosts behind (${behind.length})`}>
        <DataTable
          testId="behind"
          rows={behind}
          rowKey={(h) => h.id}
          empty="Every host runs at least its required version."
          columns={[
            { key: "name", label: "Host", render: (h) => <a href={`/hosts/${h.id}`}>{h.name}</a> },
            { key: "group", label: "Group", render: (h) => h.group ?? "default" },
            { key: "version", label: "Runs", render: (h) => h.collectorVersion ?? "unknown" },
            { key: "min", label: "Needs", render: (h) => h.minimumVersion },
            { key: "seen", label: "Last contact", render: (h) => when(h.lastSeenAt) },
          ]}
        />
      </Section>
    </>
  );
}
