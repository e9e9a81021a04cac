import { listHostsBehind } from "@meterplane/fleet";
import { ActionForm, DataTable, Field, PageHeader, Section } from "@/components/ui";
import { services } from "@/lib/server";
import { hasRole, requireOperator } from "@/lib/session";
import { when } from "../hosts/host-state";
import { forceUpgradeAction, publishReleaseAction } from "./actions";
import { ForceUpgradeForm } from "./force-upgrade-form";

export const dynamic = "force-dynamic";

export default async function ReleasesPage() {
  const user = await requireOperator();
  const { db } = services();
  const [releases, minimums, behind, groups] = await Promise.all([
    db.prisma.collectorRelease.findMany({
      orderBy: { publishedAt: "desc" },
      select: { version: true, notes: true, publishedAt: true, artifactSha256: true },
    }),
    db.prisma.minimumCollectorVersion.findMany({ orderBy: { group: "asc" } }),
    listHostsBehind({ db }),
    db.prisma.host.groupBy({ by: ["group"], where: { removedAt: null }, _count: { _all: true } }),
  ]);
  const hostCount = groups.reduce((total, g) => total + g._count._all, 0);
  const admin = hasRole(user, "admin");
  return (
    <>
      <PageHeader title="Collector releases" />
      {admin ? (
        <ActionForm action={publishReleaseAction} submit="Publish release" testId="publish-release">
          <Field label="Version" name="version" required placeholder="1.4.2" />
          <Field label="Notes" name="notes" placeholder="what changed" />
          <Field
            label="Collector artifact"
            name="artifact"
            type="file"
            accept=".tar.gz,application/gzip"
            hint="meterplane-collector-X.Y.Z.tar.gz from build-release.ts"
          />
          <Field
            label="Signature"
            name="signature"
            placeholder="contents of the .sig file"
            hint="Ed25519, made with the operator's release key"
          />
        </ActionForm>
      ) : null}
      <DataTable
        rows={releases}
        rowKey={(r) => r.version}
        empty="No releases published yet: publish the version you ship before requiring it."
        columns={[
          { key: "version", label: "Version", render: (r) => <code>{r.version}</code> },
          { key: "notes", label: "Notes", render: (r) => r.notes },
          {
            key: "artifact",
            label: "Artifact",
            render: (r) =>
              r.artifactSha256 ? (
                <code title={r.artifactSha256}>sha256 {r.artifactSha256.slice(0, 12)}…</code>
              ) : (
                <span className="muted">none: hosts cannot install it</span>
              ),
          },
          { key: "published", label: "Published", render: (r) => when(r.publishedAt) },
        ]}
      />
      <Section title="Forced upgrades">
        {admin && releases.length ? (
          <ForceUpgradeForm
            action={forceUpgradeAction}
            versions={releases.map((r) => r.version)}
            groups={groups.flatMap((g) => (g.group ? [{ group: g.group, hosts: g._count._all }] : []))}
            hostCount={hostCount}
          />
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
