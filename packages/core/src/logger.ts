import { pino } from "pino";

export type Logger = pino.Logger;

/** Structured JSON logs; children carry `tenantId`, `requestId`, `hostId` where they apply. */
export function createLogger(name: string): Logger {
  return pino({ name, level: process.env.LOG_LEVEL ?? "info", base: { service: name } });
}
