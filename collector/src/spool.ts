import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  unlinkSync,
} from "node:fs";
import { join } from "node:path";
import {
  type Batch,
  type FlatBatch,
  maxSamplesPerBatch,
  type Sample,
  samplesOf,
  seriesOfSamples,
} from "@meterplane/wire";
import { fsyncDir, writeFileAtomic } from "./fs-atomic.ts";
import { parseJsonOrUndefined } from "./json.ts";
import type { Logger } from "./log.ts";
import { mergeSamples } from "./spool-merge.ts";
import { collectorVersion } from "./version.ts";

export interface SpoolEntry {
  sequence: number;
  path: string;
  bytes: number;
  writtenAt: Date;
}

const batchOf = (sequence: number, samples: Sample[]): Batch => ({
  sequence,
  collectorVersion,
  series: seriesOfSamples(samples),
});

const fileName = (sequence: number) => `${String(sequence).padStart(16, "0")}.json`;
const entryPattern = /^(\d{16})\.json$/;

/**
 * The local, durable queue between sampling and shipping: one file per batch in `<stateDir>/spool/`,
 * named by sequence so a directory listing is the shipping order. A batch is on disk (fsynced, renamed
 * into place, directory fsynced) before anyone may ship it. Sequences are reserved in `<stateDir>/sequence`
 * before the batch is written, so a crash can leave a gap but never reuse a number.
 */
export class Spool {
  readonly dir: string;
  readonly rejectedDir: string;
  private readonly sequencePath: string;
  private readonly journalPath: string;
  private nextSequence: number;

  /** The bound the host's client policy sets; it applies from the next batch written. */
  setMaxBytes(maxBytes: number): void {
    this.options.maxBytes = maxBytes;
  }

  constructor(
    stateDir: string,
    private readonly options: { maxBytes: number; log: Logger },
  ) {
    this.dir = join(stateDir, "spool");
    this.rejectedDir = join(stateDir, "rejected");
    this.sequencePath = join(stateDir, "sequence");
    this.journalPath = join(stateDir, "merge.json");
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    mkdirSync(this.rejectedDir, { recursive: true, mode: 0o700 });
    this.removeTemporaries();
    this.finishMerge();
    // Trust the larger of the counter file and the files themselves, should the counter ever lag.
    const stored = existsSync(this.sequencePath) ? Number(readFileSync(this.sequencePath, "utf8").trim()) : 1;
    const seen = [...listBatches(this.dir), ...listBatches(this.rejectedDir)].map(
      (entry) => entry.sequence + 1,
    );
    this.nextSequence = Math.max(Number.isSafeInteger(stored) ? stored : 1, ...seen);
  }

  /** Takes the next sequence for good: it is persisted before it is returned. */
  reserveSequence(): number {
    const sequence = this.nextSequence;
    writeFileAtomic(this.sequencePath, `${sequence + 1}\n`);
    this.nextSequence = sequence + 1;
    return sequence;
  }

  newBatch(samples: Sample[]): Batch {
    return batchOf(this.reserveSequence(), samples);
  }

  /** Appends a batch. Idempotent: writing a sequence that is already spooled changes nothing. */
  write(batch: Batch): void {
    const path = join(this.dir, fileName(batch.sequence));
    if (existsSync(path)) return;
    const body = JSON.stringify(batch);
    if (this.size().bytes + Buffer.byteLength(body) > this.options.maxBytes) this.compact();
    const total = this.size().bytes + Buffer.byteLength(body);
    if (total > this.options.maxBytes) {
      // Nothing left to merge: dropping usage would lose revenue silently, so keep it, loudly.
      this.options.log.error("spool over its size limit even after merging; keeping every batch", {
        bytes: total,
        maxBytes: this.options.maxBytes,
      });
    }
    writeFileAtomic(path, body, 0o600);
  }

  /**
   * Makes room by merging the older half of the spool (never the oldest batch: it may be at the server
   * already, unacknowledged, and only its own sequence lets the server recognise it) into one batch
   * under the newest merged sequence (see spool-merge.ts for how values combine). The merge is written
   * as a journal first and applied from it, so a crash leaves either the old batches or the merged one.
   */
  compact(): void {
    const candidates = this.entries().slice(1);
    const chosen = candidates.slice(0, Math.floor(candidates.length / 2));
    if (chosen.length < 2) return;
    const samples = mergeSamples(
      // A collector upgraded from 0.1.0 may still hold flat batches (in the spool or a merge journal); they
      // stay flat on disk and are shipped as they are, which ingest still accepts.
      chosen.flatMap((entry) => samplesOf(JSON.parse(this.read(entry)) as Batch | FlatBatch)),
    );
    if (samples.length > maxSamplesPerBatch) return;
    const last = chosen[chosen.length - 1] as SpoolEntry;
    const batch = batchOf(last.sequence, samples);
    const journal = { batch, remove: chosen.slice(0, -1).map((entry) => entry.sequence) };
    writeFileAtomic(this.journalPath, JSON.stringify(journal), 0o600);
    this.finishMerge();
    this.options.log.warn("spool full: merged old batches", {
      batches: chosen.length,
      fromSequence: chosen[0]?.sequence,
      toSequence: last.sequence,
      samples: samples.length,
    });
  }

  /** Applies a merge journal (again, after a crash: every step is idempotent), then removes it. */
  private finishMerge(): void {
    if (!existsSync(this.journalPath)) return;
    const journal = parseJsonOrUndefined(readFileSync(this.journalPath, "utf8")) as
      | { batch: Batch | FlatBatch; remove: number[] }
      | undefined;
    if (journal) {
      writeFileAtomic(join(this.dir, fileName(journal.batch.sequence)), JSON.stringify(journal.batch), 0o600);
      for (const sequence of journal.remove) rmSync(join(this.dir, fileName(sequence)), { force: true });
      fsyncDir(this.dir);
    }
    unlinkSync(this.journalPath);
    fsyncDir(this.dir);
  }

  append(samples: Sample[]): Batch {
    const batch = this.newBatch(samples);
    this.write(batch);
    return batch;
  }

  /** Spooled batches, oldest first. */
  entries(): SpoolEntry[] {
    return listBatches(this.dir);
  }

  has(sequence: number): boolean {
    return (
      existsSync(join(this.dir, fileName(sequence))) || existsSync(join(this.rejectedDir, fileName(sequence)))
    );
  }

  read(entry: SpoolEntry): string {
    return readFileSync(entry.path, "utf8");
  }

  /** The server has the batch: forget it. */
  remove(entry: SpoolEntry): void {
    unlinkSync(entry.path);
    fsyncDir(this.dir);
  }

  /** The server will never take this batch: keep it for a human, out of the shipping queue. */
  reject(entry: SpoolEntry): string {
    const target = join(this.rejectedDir, fileName(entry.sequence));
    renameSync(entry.path, target);
    fsyncDir(this.rejectedDir);
    fsyncDir(this.dir);
    return target;
  }

  size(): { count: number; bytes: number; oldest?: SpoolEntry } {
    return spoolSize(this.dir);
  }

  // Leftovers of a crash mid-write; the batch they held was never committed to the spool.
  private removeTemporaries(): void {
    for (const dir of [this.dir, this.rejectedDir]) {
      for (const name of readdirSync(dir))
        if (name.startsWith(".") && name.endsWith(".tmp")) unlinkSync(join(dir, name));
    }
  }
}

/**
 * Makes this state directory's next sequence at least `next`: a directory new to a host whose earlier batches
 * the server holds (a reinstall, the demo in a fresh checkout against the same database) must not reuse
 * their sequences, which the server refuses.
 */
export function continueSequenceFrom(stateDir: string, next: number): void {
  const path = join(stateDir, "sequence");
  const stored = existsSync(path) ? Number(readFileSync(path, "utf8").trim()) : 1;
  if (Number.isSafeInteger(stored) && stored >= next) return;
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  writeFileAtomic(path, `${next}\n`);
}

/** Batch files of a spool (or rejected) directory, oldest first. Read-only, so `status` may call it live. */
export function listBatches(dir: string): SpoolEntry[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .flatMap((name) => {
      const match = entryPattern.exec(name);
      if (!match?.[1]) return [];
      const path = join(dir, name);
      // A shipper may remove a file between readdir and stat while another process lists.
      const stat = statSync(path, { throwIfNoEntry: false });
      return stat ? [{ sequence: Number(match[1]), path, bytes: stat.size, writtenAt: stat.mtime }] : [];
    })
    .sort((a, b) => a.sequence - b.sequence);
}

export function spoolSize(dir: string): { count: number; bytes: number; oldest?: SpoolEntry } {
  const entries = listBatches(dir);
  return {
    count: entries.length,
    bytes: entries.reduce((sum, entry) => sum + entry.bytes, 0),
    oldest: entries[0],
  };
}
