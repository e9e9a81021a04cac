import { gunzipSync } from "node:zlib";
import { AppError, type ErrorCode, errorStatus, isAppError } from "@meterplane/core";
import { ZodError } from "zod";
import { log } from "./server";

/** The one error shape for any thrown error: its code, status and body. Unknown failures are logged, not shown. */
export function describeApiError(error: unknown): { code: ErrorCode; status: number; body: unknown } {
  const described = (code: ErrorCode, message: string, details?: unknown) => ({
    code,
    status: errorStatus[code],
    body: { error: { code, message, ...(details ? { details } : {}) } },
  });
  if (isAppError(error)) return described(error.code, error.message, error.details);
  if (error instanceof ZodError) {
    const first = error.issues[0];
    const where = first?.path.length ? `${first.path.join(".")}: ` : "";
    return described("VALIDATION_FAILED", `${where}${first?.message ?? "invalid input"}`, {
      issues: error.issues.slice(0, 20),
    });
  }
  // Unknown failures never leak internals to the caller; the log keeps the detail.
  log.error(
    { err: error instanceof Error ? { message: error.message, stack: error.stack } : error },
    "unhandled API error",
  );
  return described("INTERNAL", "something went wrong on our side; try again");
}

export function handleApiError(error: unknown): Response {
  const { status, body } = describeApiError(error);
  return Response.json(body, { status });
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
  if (!request.body) throw new AppError("BAD_REQUEST", "the request has no body");
  const body = await readEncodedBody(
    request.body as unknown as AsyncIterable<Uint8Array>,
    {
      contentLength: request.headers.get("content-length"),
      contentEncoding: request.headers.get("content-encoding"),
    },
    limit,
  );
  return body.text;
}

/**
 * `readBody` over any stream of chunks (a Node request too), also giving the bytes as sent when they were
 * gzip: ingest stores those as they are.
 */
export async function readEncodedBody(
  chunks: AsyncIterable<Uint8Array>,
  headers: { contentLength: string | null | undefined; contentEncoding: string | null | undefined },
  limit: number,
): Promise<{ text: Buffer; gzip: Buffer | undefined }> {
  const declared = Number(headers.contentLength ?? "0");
  if (declared > limit) throw new AppError("PAYLOAD_TOO_LARGE", `the body may be at most ${limit} bytes`);
  const encoding = (headers.contentEncoding ?? "identity").toLowerCase();
  if (encoding !== "identity" && encoding !== "gzip")
    throw new AppError("UNSUPPORTED_MEDIA_TYPE", `unsupported Content-Encoding ${encoding}`);
  const received: Uint8Array[] = [];
  let size = 0;
  try {
    for await (const chunk of chunks) {
      size += chunk.byteLength;
      if (size > limit) throw new AppError("PAYLOAD_TOO_LARGE", `the body may be at most ${limit} bytes`);
      received.push(chunk);
    }
  } catch (error) {
    if (isAppError(error)) throw error;
    throw new AppError("BAD_REQUEST", "the body could not be read");
  }
  const body = Buffer.concat(received);
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
