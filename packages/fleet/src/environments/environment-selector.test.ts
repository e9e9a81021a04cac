import { fieldErrorsIn } from "@meterplane/core";
import type { EnvironmentKind } from "@meterplane/db";
import { systemActor as actor } from "@meterplane/db";
import { aHost, aTenant, useTestDatabase } from "@meterplane/testing";
import { describe, expect, it } from "vitest";
import { createEnvironment } from "./create-environment.ts";
import { normalizeSelector } from "./environment-selector.ts";
import { removeEnvironment } from "./remove-environment.ts";
import { updateEnvironment } from "./update-environment.ts";

const t = useTestDatabase();

/** The message at the selector field when `selector` is refused for `kind`. */
function refusalOf(kind: EnvironmentKind, selector: string) {
  try {
    normalizeSelector(kind, selector);
  } catch (error) {
    expect(error).toMatchObject({ code: "VALIDATION_FAILED" });
    return fieldErrorsIn(error)?.selector;
  }
  throw new Error(`${kind} "${selector}" was accepted`);
}

describe("environment selectors, per kind", () => {
  it("refuses what the collector could not read, saying what the kind expects", () => {
    expect(refusalOf("cgroup", "garbage selector")).toContain(
      'a cgroup path like "system.slice/app.service"',
    );
    expect(refusalOf("cgroup", "app/../../etc")).toContain("a cgroup path");
    expect(refusalOf("cgroup", "/")).toContain("a cgroup path");
    expect(refusalOf("systemd_unit", "my unit")).toBe('a unit name like "nginx.service" or "nginx"');
    expect(refusalOf("container", "abc123")).toBe("12 to 64 hex digits of the container's id");
    expect(refusalOf("container", "z".repeat(12))).toBe("12 to 64 hex digits of the container's id");
    expect(refusalOf("container", "a".repeat(65))).toBe("12 to 64 hex digits of the container's id");
    expect(refusalOf("process_tree", "1234")).toBe(
      "pid:<n> for one process and its children, or cmdline:<regex>",
    );
    expect(refusalOf("process_tree", "pid:0")).toBe("a process id is 1 or more");
    expect(refusalOf("process_tree", "cmdline:node (app")).toContain(
      "the regular expression does not compile",
    );
  });

  it("stores the one form the collector reads", () => {
    expect(normalizeSelector("cgroup", "/sys/fs/cgroup/meterplane/app/")).toBe("meterplane/app");
    expect(normalizeSelector("cgroup", "system.slice/system-getty.slice/getty@tty1.service")).toBe(
      "system.slice/system-getty.slice/getty@tty1.service",
    );
    expect(normalizeSelector("systemd_unit", "nginx")).toBe("nginx.service");
    expect(normalizeSelector("systemd_unit", "session-4.scope")).toBe("session-4.scope");
    expect(normalizeSelector("container", "ABCDEF012345")).toBe("abcdef012345");
    expect(normalizeSelector("process_tree", " pid:0042 ")).toBe("pid:42");
    expect(normalizeSelector("process_tree", "cmdline:^node .*server\\.js$")).toBe(
      "cmdline:^node .*server\\.js$",
    );
  });
});

describe("environments on one host", () => {
  const containerId = "0123456789abcdef".repeat(4);

  /** A host with an environment of `kind`/`selector` on it; `add` places another one there. */
  async function aHostWith(kind: EnvironmentKind, selector: string) {
    const { host } = await aHost(t.db);
    const tenant = await aTenant(t.db, { name: "Acme" });
    const first = await createEnvironment({
      db: t.db,
      actor,
      tenantId: tenant.id,
      hostId: host.id,
      name: "first",
      kind,
      selector,
    });
    const add = async (kind: EnvironmentKind, selector: string, hostId = host.id) =>
      createEnvironment({
        db: t.db,
        actor,
        tenantId: (await aTenant(t.db)).id,
        hostId,
        name: "second",
        kind,
        selector,
      });
    return { host, tenant, first, add };
  }

  for (const [what, [kind, selector], [otherKind, otherSelector], reason] of [
    ["the same cgroup", ["cgroup", "apps/shop"], ["cgroup", "/apps/shop/"], "this is the cgroup that"],
    [
      "a cgroup inside it",
      ["cgroup", "apps"],
      ["cgroup", "apps/shop"],
      "this cgroup is inside the cgroup that",
    ],
    [
      "a cgroup around it",
      ["cgroup", "apps/shop/web"],
      ["cgroup", "apps"],
      "this cgroup contains the cgroup that",
    ],
    [
      "the same unit",
      ["systemd_unit", "shop.service"],
      ["systemd_unit", "shop"],
      "this is the systemd unit that",
    ],
    [
      "the unit's cgroup",
      ["systemd_unit", "shop"],
      ["cgroup", "system.slice/shop.service"],
      "this cgroup is in the unit that",
    ],
    [
      "the same container",
      ["container", containerId],
      ["container", containerId.slice(0, 12)],
      "this is the container that",
    ],
    [
      "the container's cgroup",
      ["container", containerId.slice(0, 12)],
      ["cgroup", `system.slice/docker-${containerId}.scope`],
      "this cgroup is in the container that",
    ],
    [
      "the same process tree root",
      ["process_tree", "pid:4242"],
      ["process_tree", "pid:4242"],
      "this is the process tree that",
    ],
    [
      "the same command line",
      ["process_tree", "cmdline:^shop$"],
      ["process_tree", "cmdline:^shop$"],
      "this is the process tree that",
    ],
  ] as const)
    it(`refuses ${what}, naming the environment that meters it`, async () => {
      const { add } = await aHostWith(kind, selector);
      const refused = await add(otherKind, otherSelector).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(refused).toMatchObject({ code: "CONFLICT" });
      expect(fieldErrorsIn(refused)?.selector).toBe(
        `${reason} "first" (Acme) on this host already meters: one application's usage would be billed twice`,
      );
    });

  it("allows siblings, other hosts, and the place of a removed environment", async () => {
    const { first, tenant, add } = await aHostWith("cgroup", "apps/shop");
    await expect(add("cgroup", "apps/shopfront")).resolves.toMatchObject({ selector: "apps/shopfront" });
    const { host: other } = await aHost(t.db);
    await expect(add("cgroup", "apps/shop", other.id)).resolves.toMatchObject({ selector: "apps/shop" });
    await removeEnvironment({ db: t.db, actor, tenantId: tenant.id, environmentId: first.id });
    await expect(add("cgroup", "apps/shop/web")).resolves.toMatchObject({ selector: "apps/shop/web" });
  });

  it("judges an edit as it judges a new environment, the environment itself aside", async () => {
    const { first, tenant, add } = await aHostWith("cgroup", "apps/shop");
    const second = await add("cgroup", "apps/blog");
    const edit = (selector: string) =>
      updateEnvironment({
        db: t.db,
        actor,
        tenantId: tenant.id,
        environmentId: first.id,
        changes: { selector },
      });
    await expect(edit("/apps/shop/")).resolves.toMatchObject({ selector: "apps/shop" });
    await expect(edit("apps/blog/web")).rejects.toMatchObject({ code: "CONFLICT" });
    await expect(edit("garbage selector")).rejects.toMatchObject({ code: "VALIDATION_FAILED" });
    await expect(
      updateEnvironment({
        db: t.db,
        actor,
        tenantId: second.tenantId,
        environmentId: second.id,
        changes: { name: "blog" },
      }),
    ).resolves.toMatchObject({ name: "blog", selector: "apps/blog" });
  });
});
