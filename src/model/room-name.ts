// MeshAgent's room-name rule (api@0.39.9 helpers.py `is_valid_room_name`, platform-api.md §3.1):
// 1–63 lowercase letters, digits or '-', starting and ending with a letter or digit. The one
// definition used by config validation and by the local room. Pure.

export const ROOM_NAME_PATTERN = /^[a-z0-9](?:[-a-z0-9]*[a-z0-9])?$/;
export const ROOM_NAME_MAX_LENGTH = 63;

export function isValidRoomName(name: string): boolean {
  return name.length >= 1 && name.length <= ROOM_NAME_MAX_LENGTH && ROOM_NAME_PATTERN.test(name);
}
