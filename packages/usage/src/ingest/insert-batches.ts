import { type Database, ensureSamplePartitions } from "@meterplane/db";

/** A batch's idempotency key (host, sequence) and what its SampleBatch row holds. */
export interface BatchRow {
  hostId: string;
  sequence: number;
  sampleCount: number;
  tenantIds: string[];
  body: Buffer;
}

export interface InsertedBatch {
  batchId: string;
  receivedAt: Date;
}

const maxBatchesPerStatement = 64;

/**
 * One statement, so one implicit transaction: each batch's key and row land together or not at all.
 * DISTINCT ON keeps the first batch of a key in the group (a later one of the same key resolves as a replay
 * of it), and sorts the keys, so two processes inserting some of the same keys take their locks in one order.
 * The bodies are parameters of their own, which travel binary: as one bytea[] they went hex-encoded, and
 * parsing that array was a quarter of Postgres's CPU per batch.
 */
function insertBatchesSql(batches: number): string {
  const bodies = Array.from({ length: batches }, (_, i) => `$${i + 5}`).join(", ");
  return `
WITH batch AS (
  SELECT DISTINCT ON ("hostId", "sequence") *
    FROM unnest($1::uuid[], $2::bigint[], $3::int[], $4::text[], ARRAY[${bodies}]::bytea[]) WITH ORDINALITY
      AS batch("hostId", "sequence", "sampleCount", "tenantIds", "body", "position")
   ORDER BY "hostId", "sequence", "position"
), key AS (
  INSERT INTO "BatchKey" ("hostId", "sequence", "batchId", "receivedAt")
  SELECT "hostId", "sequence", nextval('"SampleBatch_id_seq"'), now() FROM batch
  ON CONFLICT DO NOTHING
  RETURNING "hostId", "sequence", "batchId", "receivedAt"
), inserted AS (
  SELECT * FROM key JOIN batch USING ("hostId", "sequence")
), stored AS (
  INSERT INTO "SampleBatch" ("id", "receivedAt", "hostId", "sequence", "sampleCount", "tenantIds", "body")
  SELECT "batchId", "receivedAt", "hostId", "sequence", "sampleCount",
         string_to_array("tenantIds", ',')::uuid[], "body"
    FROM inserted
)
SELECT "position", "batchId", "receivedAt" FROM inserted`;
}

/** The inserted batch of each row, by position; undefined where the key was already taken. */
async function insertRows(db: Database, rows: BatchRow[]): Promise<(InsertedBatch | undefined)[]> {
  const { rows: inserted } = await db.pool.query<InsertedBatch & { position: string }>(
    insertBatchesSql(rows.length),
    [
      rows.map((row) => row.hostId),
      rows.map((row) => row.sequence),
      rows.map((row) => row.sampleCount),
      rows.map((row) => row.tenantIds.join(",")),
      ...rows.map((row) => row.body),
    ],
  );
  const byPosition: (InsertedBatch | undefined)[] = rows.map(() => undefined);
  for (const { position, batchId, receivedAt } of inserted)
    byPosition[Number(position) - 1] = { batchId, receivedAt };
  return byPosition;
}

async function insertGroup(db: Database, rows: BatchRow[]): Promise<(InsertedBatch | undefined)[]> {
  try {
    return await insertRows(db, rows);
  } catch (error) {
    // 23514: no partition for today yet (a process that has not run its maintenance); create it, once.
    if ((error as { code?: string }).code !== "23514") throw error;
    await ensureSamplePartitions(db.pool);
    return insertRows(db, rows);
  }
}

interface WaitingBatch {
  row: BatchRow;
  resolve: (inserted: InsertedBatch | undefined) => void;
  reject: (error: unknown) => void;
}

/**
 * Full statements in flight at once. One at a time, a fleet's tick (thousands of batches within a second or two)
 * queued behind one commit after another: 5,000 batches are 79 statements, and while aggregation's upserts
 * kept Postgres busy each took a few hundred milliseconds, so the last batch of a tick waited tens of seconds
 * for its acknowledgement. A few side by side overlap their commits' WAL flushes and leave most of the pool
 * to the other requests.
 */
const maxStatementsInFlight = 4;

/**
 * A database's group commit: the first batch goes at once; batches arriving while a statement is in flight
 * wait, and go together in the next statement when it returns, unless a full statement's worth is waiting:
 * that goes at once, up to `maxStatementsInFlight` side by side.
 */
function groupCommit(db: Database): (row: BatchRow) => Promise<InsertedBatch | undefined> {
  const waiting: WaitingBatch[] = [];
  let inFlight = 0;
  function insertWaiting() {
    while (
      waiting.length &&
      (inFlight === 0 || (inFlight < maxStatementsInFlight && waiting.length >= maxBatchesPerStatement))
    ) {
      const group = waiting.splice(0, maxBatchesPerStatement);
      inFlight++;
      insertGroup(
        db,
        group.map(({ row }) => row),
      )
        .then(
          (inserted) => {
            for (const [i, { resolve }] of group.entries()) resolve(inserted[i]);
          },
          (error) => {
            for (const { reject } of group) reject(error);
          },
        )
        .finally(() => {
          inFlight--;
          insertWaiting();
        });
    }
  }
  return (row) =>
    new Promise((resolve, reject) => {
      waiting.push({ row, resolve, reject });
      insertWaiting();
    });
}

const groupCommits = new WeakMap<Database, ReturnType<typeof groupCommit>>();

/**
 * Inserts a batch's key and row in the same statement as the batches other requests of this process are
 * inserting at the time: one round trip, parse, plan and commit for a group rather than one per batch, and
 * on the web process one system call each way. Resolves once that statement has committed; undefined when
 * the batch's (host, sequence) was already taken. If the statement fails, every batch in it is rejected with
 * its error, and none of them is stored.
 */
export function insertBatch(db: Database, row: BatchRow): Promise<InsertedBatch | undefined> {
  let insert = groupCommits.get(db);
  if (!insert) {
    insert = groupCommit(db);
    groupCommits.set(db, insert);
  }
  return insert(row);
}
