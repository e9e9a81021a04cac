import { listDeadLetteredBatches } from "@meterplane/usage";
import { DataTable, Section } from "@/components/ui";
import { services } from "@/lib/server";

/**
 * Batches the worker set aside because they cannot be aggregated (e.g. their rollups would overflow): their
 * samples are stored but in no rollup and on no invoice until someone deals with them. Shown only when there
 * are some.
 */
export async function DeadLetteredBatches() {
  const batches = await listDeadLetteredBatches({ db: services().db, limit: 20 });
  if (!batches.length) return null;
  return (
    <Section title="Batches set aside (not aggregated)">
      <DataTable
        testId="dead-lettered-batches"
        rows={batches}
        rowKey={(b) => `${b.batchId}-${b.receivedAt.getTime()}`}
        empty="No batch has been set aside."
        columns={[
          {
            key: "host",
            label: "Host",
            render: (b) => <a href={`/hosts/${b.hostId}`}>{b.hostName ?? b.hostId}</a>,
          },
          { key: "sequence", label: "Sequence", numeric: true, render: (b) => b.sequence },
          { key: "samples", label: "Samples", numeric: true, render: (b) => b.sampleCount },
          { key: "tries", label: "Tries", numeric: true, render: (b) => b.failedAttempts },
          { key: "reason", label: "Reason", render: (b) => b.failureReason ?? "—" },
          {
            key: "at",
            label: "Set aside",
            render: (b) => `${b.deadLetteredAt.toISOString().slice(0, 16)} UTC`,
          },
        ]}
      />
    </Section>
  );
}
