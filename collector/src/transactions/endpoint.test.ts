import { createSocket } from "node:dgram";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { silentLogger } from "../log.ts";
import { EndpointPortTakenError, TransactionEndpoint } from "./endpoint.ts";
import { countTransactions } from "./parse-report.ts";

describe("transactions endpoint", () => {
  it("refuses to start when another process holds the UDP port", async () => {
    const squatter = createSocket("udp4");
    await new Promise<void>((resolve) => squatter.bind(0, "127.0.0.1", resolve));
    const endpoint = new TransactionEndpoint({
      udpPort: squatter.address().port,
      socketPath: join(mkdtempSync(join(tmpdir(), "mp-tx-")), "tx.sock"),
      log: silentLogger,
      ownerOf: () => undefined,
    });
    await expect(endpoint.start()).rejects.toBeInstanceOf(EndpointPortTakenError);
    squatter.close();
  });

  it("counts transaction counter lines exactly and refuses sampled or fractional ones", () => {
    expect(
      countTransactions("transactions:3|c\nshop.transactions:2|c|#a:b\nlatency:5|ms\nother:4|c"),
    ).toEqual({
      count: 5n,
      refused: 0,
    });
    expect(countTransactions("transactions:3|c|@0.5\ntransactions:1.5|c\ntransactions:1|c|@1")).toEqual({
      count: 1n,
      refused: 2,
    });
  });
});
