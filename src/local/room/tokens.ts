// Room tokens: `POST …/rooms/{room}/connect` issues an opaque random token bound to one room, and
// the websocket upgrade accepts only a token issued for the room it asks for. Held in memory
// only (a restart invalidates them, as the spec allows); the newest `limit` tokens are kept so a
// long-running `local serve` does not grow without bound. The client never reads a token.
import { randomBytes } from "node:crypto";

export class RoomTokens {
  readonly #limit: number;
  /** token → room name, oldest first (Map keeps insertion order). */
  readonly #rooms = new Map<string, string>();

  constructor(limit = 10_000) {
    this.#limit = limit;
  }

  issue(room: string): string {
    const token = `mdl_${randomBytes(32).toString("base64url")}`;
    this.#rooms.set(token, room);
    if (this.#rooms.size > this.#limit) {
      const oldest = this.#rooms.keys().next();
      if (oldest.done !== true) this.#rooms.delete(oldest.value);
    }
    return token;
  }

  /** The room a token was issued for, or undefined for a token this room never issued. */
  roomOf(token: string): string | undefined {
    return this.#rooms.get(token);
  }
}
