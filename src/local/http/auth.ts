// Bearer-token check for every request. Both sides are hashed to a fixed length before the
// constant-time compare, so neither the token's content nor its length leaks through timing.
// Error messages never echo what the client sent.
import { createHash, timingSafeEqual } from "node:crypto";
import { RequestError } from "../errors.js";

export type BearerCheck = (authorization: string | undefined) => void;

function digest(value: string): Buffer {
  return createHash("sha256").update(value, "utf8").digest();
}

export function bearerCheck(token: string): BearerCheck {
  const expected = digest(token);
  return (authorization) => {
    const match = /^Bearer[ \t]+(.+)$/i.exec(authorization?.trim() ?? "");
    if (match === null) {
      throw unauthorized("missing bearer token: send an Authorization: Bearer <token> header");
    }
    if (!timingSafeEqual(digest((match[1] ?? "").trim()), expected)) {
      throw unauthorized("invalid bearer token for this local room (see the token file in its data directory)");
    }
  };
}

function unauthorized(message: string): RequestError {
  return new RequestError(401, message, { "WWW-Authenticate": 'Bearer realm="meshdeploy-local"' });
}
