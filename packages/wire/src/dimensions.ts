/** The dimensions each meter may carry, and their allowed values. */
export const meterDimensions: Record<string, Record<string, readonly string[]>> = {
  open_resources: { kind: ["file", "socket", "pipe", "other"] },
  data_throughput: { channel: ["disk", "network"], direction: ["read", "write", "received", "sent"] },
};

/** Canonical key of a set of dimensions: `k=v` pairs sorted by key, comma-joined; "" for none. */
export function dimensionKey(dimensions: Record<string, string> | undefined): string {
  if (!dimensions) return "";
  return Object.keys(dimensions)
    .sort()
    .map((key) => `${key}=${dimensions[key]}`)
    .join(",");
}
