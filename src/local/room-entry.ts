// One room of the local room's state in memory: its services in order and an index of their
// names (`metadata.name` → ids), kept in step on every change and on every undo. Plain maps, no I/O.
import type { RoomRecord, ServiceRecord } from "./state.js";
import { insertAt } from "./undoable-map.js";

export interface RoomEntry {
  room: RoomRecord;
  services: Map<string, ServiceRecord>;
  /** metadata.name → ids of the room's services with that name (names are unique; a set tolerates old files). */
  names: Map<string, Set<string>>;
}

export function newRoomEntry(room: RoomRecord): RoomEntry {
  return { room, services: new Map(), names: new Map() };
}

export function setService(entry: RoomEntry, service: ServiceRecord): void {
  const previous = entry.services.get(service.id);
  if (previous !== undefined) unindexName(entry, previous);
  entry.services.set(service.id, service);
  indexName(entry, service);
}

export function removeService(entry: RoomEntry, id: string): void {
  const previous = entry.services.get(id);
  if (previous === undefined) return;
  unindexName(entry, previous);
  entry.services.delete(id);
}

function nameOf(service: ServiceRecord): string | undefined {
  const metadata = service.metadata;
  if (typeof metadata !== "object" || metadata === null || Array.isArray(metadata)) return undefined;
  return typeof metadata.name === "string" ? metadata.name : undefined;
}

function indexName(entry: RoomEntry, service: ServiceRecord): void {
  const name = nameOf(service);
  if (name === undefined) return;
  let ids = entry.names.get(name);
  if (ids === undefined) entry.names.set(name, (ids = new Set()));
  ids.add(service.id);
}

function unindexName(entry: RoomEntry, service: ServiceRecord): void {
  const name = nameOf(service);
  if (name === undefined) return;
  const ids = entry.names.get(name);
  ids?.delete(service.id);
  if (ids?.size === 0) entry.names.delete(name);
}

/** Puts a removed service back where it was (`position` from undoable-map's indexOf), name indexed again. */
export function restoreService(entry: RoomEntry, service: ServiceRecord, position: number): void {
  entry.services = insertAt(entry.services, service.id, service, position);
  indexName(entry, service);
}
