"use client";

import { useState } from "react";
import { ActionForm, type FormAction } from "@/components/ui";

/**
 * The forced-upgrade form. Targeting every host asks first, naming how many collectors will stop shipping
 * until they upgrade. It keeps the target just submitted (its choices live in state, and the form is not
 * reset after success), so what it shows is what was required.
 */
export function ForceUpgradeForm({
  action,
  versions,
  groups,
  hostCount,
}: {
  action: FormAction;
  versions: string[];
  groups: { group: string; hosts: number }[];
  hostCount: number;
}) {
  const [version, setVersion] = useState(versions[0] ?? "");
  const [group, setGroup] = useState("");
  return (
    <ActionForm
      action={action}
      submit="Require this version"
      variant="danger"
      testId="force-upgrade"
      keepValues
      confirm={(form) => {
        const chosen = String(form.get("group") ?? "");
        const hosts = chosen ? groups.find((g) => g.group === chosen)?.hosts : hostCount;
        const where = chosen ? `the ${hosts} host(s) of group ${chosen}` : `EVERY host (${hosts})`;
        return `Require collector ${form.get("version")} on ${where}? Older collectors upgrade themselves, and stop shipping until they have.`;
      }}
    >
      <label className="field">
        <span>Minimum version</span>
        <select name="version" value={version} onChange={(event) => setVersion(event.target.value)}>
          {versions.map((v) => (
            <option key={v} value={v}>
              {v}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>For</span>
        <select name="group" value={group} onChange={(event) => setGroup(event.target.value)}>
          <option value="">all hosts</option>
          {groups.map((g) => (
            <option key={g.group} value={g.group}>
              group {g.group}
            </option>
          ))}
        </select>
      </label>
    </ActionForm>
  );
}
