import { TwirpError } from "./errors.js";

// Requests arrive as protojson (livekit-server-sdk) or protobuf (Go clients, `lk`) and are
// answered in the same format. JSON answers use the field names and defaults LiveKit's Twirp server
// writes (proto names, defaults emitted); every client parses either spelling.

export type WireFormat = "json" | "protobuf";

/** The part of a protobuf-es message (as `@livekit/protocol` makes them) this module uses. */
export interface WireMessage {
  toBinary(): Uint8Array;
  toJson(options?: { useProtoFieldName?: boolean; emitDefaultValues?: boolean }): unknown;
}

export interface MessageType<T extends WireMessage> {
  fromJson(json: never, options?: { ignoreUnknownFields?: boolean }): T;
  fromBinary(bytes: Uint8Array): T;
  readonly typeName: string;
}

export function wireFormatOf(contentType: string | undefined): WireFormat | undefined {
  const type = (contentType ?? "").split(";")[0]!.trim().toLowerCase();
  if (type === "application/json") return "json";
  if (type === "application/protobuf" || type === "application/x-protobuf") return "protobuf";
  return undefined;
}

export function decodeRequest<T extends WireMessage>(type: MessageType<T>, body: Buffer, format: WireFormat): T {
  if (format === "protobuf") {
    try {
      return type.fromBinary(body);
    } catch (error) {
      throw new TwirpError("malformed", `the protobuf request could not be decoded: ${(error as Error).message}`);
    }
  }
  let json: unknown;
  try {
    json = body.length === 0 ? {} : JSON.parse(body.toString("utf8"));
  } catch (error) {
    throw new TwirpError("malformed", `the json request could not be decoded: ${(error as Error).message}`);
  }
  try {
    // Twirp's Go servers discard unknown fields.
    return type.fromJson(json as never, { ignoreUnknownFields: true });
  } catch (error) {
    throw new TwirpError("malformed", `the json request could not be decoded: ${(error as Error).message}`);
  }
}

export function encodeResponse(message: WireMessage, format: WireFormat): { contentType: string; body: Buffer } {
  if (format === "protobuf") return { contentType: "application/protobuf", body: Buffer.from(message.toBinary()) };
  const json = message.toJson({ useProtoFieldName: true, emitDefaultValues: true });
  return { contentType: "application/json", body: Buffer.from(JSON.stringify(json)) };
}
