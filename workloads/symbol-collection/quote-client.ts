/**
 * The HTTP client every variant uses to fetch one quote from the local server.
 * node:http with a keep-alive Agent rather than fetch (undici): the agent's maxSockets makes the
 * connection bound of the parallel variants explicit, and a request costs less CPU (sequential,
 * no latency, on the 2-core dev VM: 335-480 µs per request against 560-1000 µs with fetch), so
 * fetch's Request/Response/stream machinery does not dominate the client's flamegraph.
 */
import http from 'node:http'
import type { Quote } from './quotes.js'

/** Where and through which socket pool quotes are fetched. */
export interface QuoteClient {
  readonly host: string
  readonly port: number
  readonly agent: http.Agent
}

/** Idle sockets are closed by the client after this long (the server waits longer, see the worker). */
const IDLE_SOCKET_TIMEOUT_MS = 30_000

/** A client whose agent keeps at most `maxSockets` connections open, reused across requests. */
export function createQuoteClient(host: string, port: number, maxSockets: number): QuoteClient {
  const agent = new http.Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets, timeout: IDLE_SOCKET_TIMEOUT_MS })
  return { host, port, agent }
}

export function closeQuoteClient(client: QuoteClient): void {
  client.agent.destroy()
}

/** Checks the shape of a quote body, so a wrong server answer fails loudly instead of skewing sums. */
export function parseQuote(body: string, symbol: string, tick: number): Quote {
  const q = JSON.parse(body) as Partial<Record<keyof Quote, unknown>>
  const ints = [q.tick, q.bidCents, q.askCents, q.lastCents, q.bidSize, q.askSize]
  if (q.symbol !== symbol || q.tick !== tick || !ints.every(Number.isInteger)) {
    throw new Error(`malformed quote for ${symbol}@${tick}: ${body.slice(0, 200)}`)
  }
  return q as Quote
}

/** GET /quote?symbol=…&tick=… on a pooled keep-alive connection. */
export function fetchQuote(client: QuoteClient, symbol: string, tick: number): Promise<Quote> {
  // Symbols are [A-Z]{1,5} and ticks integers, so the path needs no escaping.
  const path = `/quote?symbol=${symbol}&tick=${tick}`
  return new Promise<Quote>((resolve, reject) => {
    const req = http.request(
      { host: client.host, port: client.port, path, method: 'GET', agent: client.agent },
      function onQuoteResponse(res) {
        let body = ''
        res.setEncoding('utf8')
        res.on('data', (chunk: string) => {
          body += chunk
        })
        res.on('error', reject)
        res.on('end', function onQuoteBody() {
          if (res.statusCode !== 200) {
            reject(new Error(`quote server answered ${res.statusCode ?? '?'} to ${path}: ${body.slice(0, 200)}`))
            return
          }
          try {
            resolve(parseQuote(body, symbol, tick))
          } catch (err) {
            reject(err)
          }
        })
      },
    )
    req.on('error', reject)
    req.end()
  })
}
