/**
 * The naive codec: JSON.stringify to UTF-8 bytes and back through JSON.parse, one frame per message,
 * as most services start out.
 */
import type { Message } from './messages.js'

const utf8Encoder = new TextEncoder()
const utf8Decoder = new TextDecoder()

export function encodeJsonFrame(message: Message): Uint8Array {
  return utf8Encoder.encode(JSON.stringify(message))
}

export function decodeJsonFrame(frame: Uint8Array): Message {
  return JSON.parse(utf8Decoder.decode(frame)) as Message
}
