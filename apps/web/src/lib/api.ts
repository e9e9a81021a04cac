import { gunzipSync } from "node:zlib";
import { AppError, type ErrorCode, errorStatus, isAppError } from "@meterplane/core";
import { ZodError } from "zod";
import { log } from "./server";

/** Every /api error body: `{ error: { code, message } }`, with the status its code maps to. */
export function errorResponse(
  code: ErrorCode,
  message: string,
  headers?: HeadersInit,
  details?: unknown,
): Response {
  return Response.json(
    { error: { code, message, ...(details ? { details } : {}) } },
    { status: errorStatus[code], headers },
  );
}

export function handleApiError(error: unknown): Response {
  if (isAppError(error)) return errorResponse(error.code, error.message, undefined, error.details);
  if (error instanceof ZodError) {
    const first = error.issues[0];
    const where = first?.path.length ? `${first.path.join(".")}: ` : "";
    return errorResponse("VALIDATION_FAILED", `${where}${first?.message ?? "invalid input"}`, undefined, {
      issues: error.issues.slice(0, 20),
    });
  }
  // Unknown failures never leak internals to the caller; the log keeps the detail.
  log.error(
    { err: error instanceof Error ? { message: error.message, stack: error.stack } : error },
    "unhandled API error",
  );
  return errorResponse("INTERNAL", "something went wrong on our side; try again");
}

type Handler<C> = (request: Request, context: C) => Promise<Response>;

/** Wraps a route handler so every thrown error becomes the one error shape. */
export function apiRoute<C>(handler: Handler<C>): Handler<C> {
  return async (request, context) => {
    try {
      return await handler(request, context);
    } catch (error) {
      return handleApiError(error);
    }
  };
}

/**
 * Reads a request body up to `limit` bytes (after gunzip when `Content-Encoding: gzip`); larger ones get
 * PAYLOAD_TOO_LARGE without being read to the end, so a hostile body cannot exhaust memory. The compressed
 * bytes are bounded by `limit` as they arrive, and inflating stops at `limit` output bytes. Inflating in one
 * call, rather than through a DecompressionStream, costs a fraction of the CPU per ingest batch.
 */
export async function readBody(request: Request, limit: number): Promise<Buffer> {
  return (await readEncodedBody(request, limit)).text;
}

/** `readBody`, also giving the bytes as sent when they were gzip (ingest stores those as they are). */
export async function readEncodedBody(
  request: Request,
  limit: number,
): Promise<{ text: Buffer; gzip: Buffer | undefined }> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > limit) throw new AppError("PAYLOAD_TOO_LARGE", `the body may be at most ${limit} bytes`);
  if (!request.body) throw new AppError("BAD_REQUEST", "the request has no body");
  const encoding = (request.headers.get("content-encoding") ?? "identity").toLowerCase();
  if (encoding !== "identity" && encoding !== "gzip")
    throw new AppError("UNSUPPORTED_MEDIA_TYPE", `unsupported Content-Encoding ${encoding}`);
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for await (const chunk of request.body as unknown as AsyncIterable<Uint8Array>) {
      size += chunk.byteLength;
      if (size > limit) throw new AppError("PAYLOAD_TOO_LARGE", `the body may be at most ${limit} bytes`);
      chunks.push(chunk);
    }
  } catch (error) {
    if (isAppError(error)) throw error;
    throw new AppError("BAD_REQUEST", "the body could not be read");
  }
  const body = Buffer.concat(chunks);
  if (encoding === "identity") return { text: body, gzip: undefined };
  try {
    return { text: gunzipSync(body, { maxOutputLength: limit }), gzip: body };
  } catch (error) {
    if ((error as { code?: string }).code === "ERR_BUFFER_TOO_LARGE")
      throw new AppError("PAYLOAD_TOO_LARGE", `the body may be at most ${limit} bytes`);
    throw new AppError("BAD_REQUEST", "the body is not valid gzip");
  }
}

export function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString("utf8"));
  } catch {
    throw new AppError("BAD_REQUEST", "the body is not valid JSON");
  }
}
