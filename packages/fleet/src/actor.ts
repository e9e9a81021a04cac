/** Who makes a change, as the audit log records it. */
export interface Actor {
  kind: "user" | "api_key" | "host" | "system";
  id?: string | null;
}

export const systemActor: Actor = { kind: "system" };
