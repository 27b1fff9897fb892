// sip-dispatch-server: LiveKit's SIP API and live dispatch decisions over HTTP (SERVER.md).
export { createDispatchService, type DispatchService, type DispatchServiceOptions, type DispatchServiceStatus } from "./service.js";
export { createServer, type ServerOptions } from "./http/server.js";
export type { DispatchChanges } from "./store/dispatcher-updates.js";
export type { SkippedRecord } from "./store/records.js";
