// POST /accounts/projects/{pid}/rooms/{room}/connect (room-protocol.md §1.1): issues a room token
// and says where the room websocket is. Body `{}` (any JSON object is accepted and ignored).
import { param, type LocalRouter, type ResourceContext } from "../context.js";
import { requireRoom } from "./rooms.js";

/** The websocket URL of a room on this server, as `connect` reports it. */
export function roomSocketUrl(context: ResourceContext, room: string): string {
  return `ws://${context.apiHost}/rooms/${encodeURIComponent(room)}`;
}

export function registerRoomConnect(router: LocalRouter, context: ResourceContext): void {
  router.add("POST", "/accounts/projects/:pid/rooms/:room/connect", async (request) => {
    const room = requireRoom(context, param(request, "room")).name;
    await request.json();
    return {
      jwt: context.tokens.issue(room),
      room_name: room,
      project_id: context.project.id,
      room_url: roomSocketUrl(context, room),
    };
  });
}
