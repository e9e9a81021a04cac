/**
 * Builds and signs a collector release: one tarball that runs with nothing but Node (the collector and its
 * runtime dependencies bundled into one file), its SHA-256, and an Ed25519 signature of the operator's
 * release key over version and digest (`releaseStatement`). The private key stays with the operator; the
 * server only checks the signature against the public key it hands to collectors.
 *
 *   npx tsx collector/scripts/build-release.ts keygen --out DIR
 *   npx tsx collector/scripts/build-release.ts build --key DIR/release-key.pem --out DIR [--version X.Y.Z]
 *
 * The tarball holds bin/meterplane-collector, dist/cli.mjs, VERSION, README.md and the systemd unit.
 */
import { execFileSync } from "node:child_process";
import { createPrivateKey, generateKeyPairSync, sign } from "node:crypto";
import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { gzipSync } from "node:zlib";
import { releaseStatement, sha256Hex } from "@meterplane/wire";
import { build } from "esbuild";

const collectorDir = resolve(import.meta.dirname, "..");

export interface BuiltRelease {
  version: string;
  tarball: string;
  bytes: Buffer;
  sha256: string;
  signature: string;
}

/** A new release key pair: the private key (PKCS#8 PEM, mode 0600) and the public key as the server takes it. */
export function generateReleaseKey(outDir: string): { privateKeyPath: string; publicKey: string } {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  mkdirSync(outDir, { recursive: true });
  const privateKeyPath = join(outDir, "release-key.pem");
  writeFileSync(privateKeyPath, privateKey.export({ type: "pkcs8", format: "pem" }), { mode: 0o600 });
  const publicText = publicKey.export({ type: "spki", format: "der" }).toString("base64");
  writeFileSync(join(outDir, "release-key.pub"), `${publicText}\n`);
  return { privateKeyPath, publicKey: publicText };
}

export async function buildRelease(options: {
  outDir: string;
  privateKeyPem: string;
  version?: string;
}): Promise<BuiltRelease> {
  const version = options.version ?? packageVersion();
  if (!/^\d+\.\d+\.\d+$/.test(version)) throw new Error(`"${version}" is not a version like 1.4.2`);
  const stage = mkdtempSync(join(tmpdir(), "meterplane-release-"));
  try {
    await build({
      entryPoints: [join(collectorDir, "src", "cli.ts")],
      outfile: join(stage, "dist", "cli.mjs"),
      bundle: true,
      platform: "node",
      format: "esm",
      target: "node20",
      legalComments: "inline",
      logLevel: "warning",
      // The release's version is stamped into the bundle: the collector reports it and compares it.
      plugins: [
        {
          name: "stamp-version",
          setup(builder) {
            builder.onLoad({ filter: /[\\/]collector[\\/]src[\\/]version\.ts$/ }, () => ({
              contents: `export const collectorVersion = ${JSON.stringify(version)};`,
              loader: "ts",
            }));
          },
        },
      ],
    });
    mkdirSync(join(stage, "bin"));
    const launcher = join(stage, "bin", "meterplane-collector");
    writeFileSync(
      launcher,
      [
        "#!/bin/sh",
        "# Runs this release's bundled collector with the host's Node (20 or later).",
        'here=$(dirname "$(readlink -f "$0")")',
        'exec node "$here/../dist/cli.mjs" "$@"',
        "",
      ].join("\n"),
    );
    chmodSync(launcher, 0o755);
    writeFileSync(join(stage, "VERSION"), `${version}\n`);
    copyFileSync(join(collectorDir, "README.md"), join(stage, "README.md"));
    copyFileSync(
      join(collectorDir, "meterplane-collector.service"),
      join(stage, "meterplane-collector.service"),
    );
    // Fixed order, owner and times, and a gzip header without a timestamp: the same tree gives the same bytes.
    const tar = execFileSync(
      "tar",
      [
        "--sort=name",
        "--mtime=@0",
        "--owner=0",
        "--group=0",
        "--numeric-owner",
        "-C",
        stage,
        "-cf",
        "-",
        ".",
      ],
      { maxBuffer: 256 * 1024 * 1024 },
    );
    const bytes = gzipSync(tar, { level: 9 });
    const sha256 = sha256Hex(bytes);
    const signature = sign(
      null,
      releaseStatement(version, sha256),
      createPrivateKey(options.privateKeyPem),
    ).toString("base64");
    mkdirSync(options.outDir, { recursive: true });
    const tarball = join(options.outDir, `meterplane-collector-${version}.tar.gz`);
    writeFileSync(tarball, bytes);
    writeFileSync(`${tarball}.sha256`, `${sha256}  meterplane-collector-${version}.tar.gz\n`);
    writeFileSync(`${tarball}.sig`, `${signature}\n`);
    return { version, tarball, bytes, sha256, signature };
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}

function packageVersion(): string {
  return (JSON.parse(readFileSync(join(collectorDir, "package.json"), "utf8")) as { version: string })
    .version;
}

async function main(argv: string[]) {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { out: { type: "string" }, key: { type: "string" }, version: { type: "string" } },
    allowPositionals: true,
  });
  const outDir = values.out ?? "dist/collector-release";
  if (positionals[0] === "keygen") {
    const { privateKeyPath, publicKey } = generateReleaseKey(outDir);
    console.log(`private key: ${privateKeyPath} (keep it off the server)`);
    console.log(`public key (COLLECTOR_RELEASE_PUBLIC_KEY): ${publicKey}`);
  } else if (positionals[0] === "build" && values.key) {
    const built = await buildRelease({
      outDir,
      privateKeyPem: readFileSync(values.key, "utf8"),
      version: values.version,
    });
    console.log(`${built.tarball}\nsha256 ${built.sha256}\nsignature ${built.signature}`);
  } else {
    console.error("usage: build-release.ts keygen --out DIR | build --key PEM --out DIR [--version X.Y.Z]");
    process.exitCode = 2;
  }
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename))
  await main(process.argv.slice(2));
