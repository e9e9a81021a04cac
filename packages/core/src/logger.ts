import { pino } from "pino";
import { logLevel } from "./env.ts";

export type Logger = pino.Logger;

/** Structured JSON logs; children carry `tenantId`, `requestId`, `hostId` where they apply. */
export function createLogger(name: string): Logger {
  return pino({ name, level: logLevel(), base: { service: name } });
}
