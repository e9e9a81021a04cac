export { csvField } from "./csv.ts";
export { Dec, isDecimalString } from "./decimal.ts";
export { parseEnv } from "./env.ts";
export { AppError, type ErrorCode, errorStatus, isAppError } from "./errors.ts";
export { createLogger, type Logger } from "./logger.ts";
export {
  hashSecret,
  type IssuedSecret,
  issueSecret,
  parseSecret,
  type SecretKind,
  secretMatches,
} from "./secrets.ts";
