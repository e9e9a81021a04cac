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

  it("first downloads the newest release with the token, checks its digest and unpacks it as current", () => {
    const sha256 = "ab".repeat(32);
    const command = enrollmentCommand({
      server: "https://billing.example.com",
      token: "mpe_ab12_XyZ-_9",
      release: { version: "1.4.2", sha256 },
    });
    expect(command.split(";").slice(0, 6)).toEqual([
      "sudo sh -c 'set -e",
      " mkdir -p /opt/meterplane-collector/releases/1.4.2",
      ' curl -fsS -H "Authorization: Bearer mpe_ab12_XyZ-_9" -o /opt/meterplane-collector/meterplane-collector-1.4.2.tar.gz https://billing.example.com/api/v1/collector/releases/1.4.2/artifact',
      ` echo "${sha256}  /opt/meterplane-collector/meterplane-collector-1.4.2.tar.gz" | sha256sum -c -`,
      " tar -xzf /opt/meterplane-collector/meterplane-collector-1.4.2.tar.gz -C /opt/meterplane-collector/releases/1.4.2",
      " ln -sfn releases/1.4.2 /opt/meterplane-collector/current",
    ]);
    expect(command).toContain(" systemctl enable --now meterplane-collector'");
  });

  it("refuses what it could not quote for a shell", () => {
    expect(() => enrollmentCommand({ server: "https://x.example", token: "mpe_a'; rm -rf /" })).toThrow(
      /cannot quote/,
    );
    expect(() => enrollmentCommand({ server: "ftp://x.example", token: "mpe_a_b" })).toThrow(/not http/);
  });
});
