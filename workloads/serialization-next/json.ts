/**
 * The naive codec: JSON.stringify then UTF-8 bytes for the wire, and back with TextDecoder and
 * JSON.parse. A fresh string and byte array per message.
 */
import type { Message } from './messages.js'

const encoder = new TextEncoder()
const decoder = new TextDecoder()

export function encodeJson(message: Message): Uint8Array {
  return encoder.encode(JSON.stringify(message))
}

export function decodeJson(bytes: Uint8Array): Message {
  return JSON.parse(decoder.decode(bytes)) as Message
}
