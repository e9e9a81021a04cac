export { csvField } from "./csv.ts";
export { Dec, isDecimalString } from "./decimal.ts";
export { parseEnv } from "./env.ts";
export { AppError, type ErrorCode, errorStatus, isAppError } from "./errors.ts";
export { type FieldErrors, fieldErrorsIn, fieldErrorsOf, invalidFields } from "./field-errors.ts";
export { createLogger, type Logger } from "./logger.ts";
export { createOutageLog, type OutageLog } from "./outage.ts";
export {
  onlyMatch,
  type PickerMatch,
  type PickerMatches,
  pickerLimit,
  pickerMatches,
  searchPatterns,
} from "./search.ts";
export {
  hashSecret,
  type IssuedSecret,
  issueSecret,
  parseSecret,
  type SecretKind,
  secretMatches,
} from "./secrets.ts";
