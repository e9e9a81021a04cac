import { describe, expect, it } from "vitest";
import { humanizePath, summarize } from "./form-errors.ts";

describe("humanizePath", () => {
  it("names a field as the form does", () => {
    expect(humanizePath("charges.0.properties.tiers.2.unitPrice")).toBe("Charge 1 tier 3 unit price");
    // A picked record is named by the record, not by its id.
    expect(humanizePath("tenantId")).toBe("Tenant");
    expect(humanizePath("planVersionId")).toBe("Plan version");
    expect(humanizePath("id")).toBe("Id");
    expect(summarize({ tenantId: "pick an item from the list", name: "required" })).toBe(
      "2 fields need fixing: Tenant, Name",
    );
  });
});
