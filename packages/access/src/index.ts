export {
  type ApiPrincipal,
  type ApiScope,
  apiScopes,
  authenticateApiKey,
  createApiKey,
  requireScope,
} from "./api-keys/api-keys.ts";
export { listApiKeys } from "./api-keys/list-api-keys.ts";
export { revokeApiKey } from "./api-keys/revoke-api-key.ts";
export { type AuditQuery, listAuditLog } from "./audit/list-audit-log.ts";
export { getSession, logIn, logOut, type SessionUser } from "./sessions/sessions.ts";
export { createUser } from "./users/create-user.ts";
export { hashPassword, verifyPassword } from "./users/password.ts";
export { removeTenantMember } from "./users/remove-tenant-member.ts";
export { updateUser } from "./users/update-user.ts";
