// The error a room tool answers with: an `error` Content whose `code` is one of the MeshAgent SDK
// codes (platform-api.md §3.3, room-protocol.md §6). The official client turns it into a
// RoomServerException carrying the same text and code.

export const ROOM_ERROR_CODES = {
  PERMISSION_DENIED: 1001,
  INVALID_REQUEST: 1002,
  NOT_FOUND: 1003,
  CONFLICT: 1005,
  OPERATION_FAILED: 1008,
  CONTAINER_NOT_FOUND: 6001,
  SERVICE_NOT_FOUND: 7001,
} as const;

export type RoomErrorName = keyof typeof ROOM_ERROR_CODES;

export class ToolError extends Error {
  readonly code: number;
  readonly codeName: RoomErrorName;
  constructor(codeName: RoomErrorName, message: string) {
    super(message);
    this.name = "ToolError";
    this.codeName = codeName;
    this.code = ROOM_ERROR_CODES[codeName];
  }
}

export function invalidRequest(message: string): ToolError {
  return new ToolError("INVALID_REQUEST", message);
}

/** Any failure as a ToolError: ours pass through, anything else is an internal error. */
export function asToolError(error: unknown): ToolError {
  if (error instanceof ToolError) return error;
  const text = error instanceof Error ? error.message : String(error);
  return new ToolError("OPERATION_FAILED", `internal error in the local room: ${text}`);
}
