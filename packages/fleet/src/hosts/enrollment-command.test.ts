import { describe, expect, it } from "vitest";
import { enrollmentCommand } from "./enrollment-command.ts";

describe("the enrollment command", () => {
  it("installs the unit, enrolls with the token against the server's public URL, and starts the unit", () => {
    expect(
      enrollmentCommand({ server: "https://billing.example.com/hosts/1", token: "mpe_ab12_XyZ-_9" }),
    ).toBe(
      "sudo sh -c 'set -e;" +
        " install -m 0644 /opt/meterplane-collector/current/meterplane-collector.service /etc/systemd/system/meterplane-collector.service;" +
        " /opt/meterplane-collector/current/bin/meterplane-collector enroll --server https://billing.example.com mpe_ab12_XyZ-_9;" +
        " systemctl daemon-reload;" +
        " systemctl enable --now meterplane-collector'",
    );
  });

  it("refuses what it could not quote for a shell", () => {
    expect(() => enrollmentCommand({ server: "https://x.example", token: "mpe_a'; rm -rf /" })).toThrow(
      /cannot quote/,
    );
    expect(() => enrollmentCommand({ server: "ftp://x.example", token: "mpe_a_b" })).toThrow(/not http/);
  });
});
