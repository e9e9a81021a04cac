import type { Sample } from "@meterplane/wire";

export const sampleOf = (value: string, overrides: Partial<Sample> = {}): Sample => ({
  environmentId: "6f1c2a8e-0c5e-4d6f-9a1b-2c3d4e5f6a7b",
  meter: "cpu",
  start: "2026-11-25T10:00:00Z",
  seconds: 60,
  value,
  ...overrides,
});
