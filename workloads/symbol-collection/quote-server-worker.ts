/**
 * Worker-thread entry of the local quote server: HTTP on 127.0.0.1 only, each quote answered after a
 * set latency. It runs on its own thread so its latency timers fire on time however busy the client is.
 */
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { parentPort, workerData } from 'node:worker_threads'
import { type Quote, computeQuote, generateSymbols } from './quotes.js'
import { QUOTE_SERVER_HOST, type QuoteServerOptions, type WorkerToParent } from './quote-server.js'

const options = workerData as QuoteServerOptions
const universe = new Set(generateSymbols(options.seed, options.symbolCount))
// Counters behind GET /stats: how many quotes were served, and the most held at once (the client's real concurrency).
let quoteRequests = 0
let inFlight = 0
let maxInFlight = 0

function post(message: WorkerToParent): void {
  parentPort?.postMessage(message)
}

function sendJson(res: http.ServerResponse, status: number, payload: unknown): void {
  const body = JSON.stringify(payload)
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) })
  res.end(body)
}

function sendQuote(res: http.ServerResponse, quote: Quote): void {
  inFlight--
  sendJson(res, 200, quote)
}

function handleQuoteRequest(req: http.IncomingMessage, res: http.ServerResponse): void {
  const url = new URL(req.url ?? '/', `http://${QUOTE_SERVER_HOST}`)
  if (url.pathname === '/stats' && req.method === 'GET') return sendJson(res, 200, { quoteRequests, maxInFlight, symbols: universe.size })
  if (url.pathname === '/stats/reset' && req.method === 'POST') {
    quoteRequests = 0
    maxInFlight = inFlight
    return sendJson(res, 200, { quoteRequests, maxInFlight, symbols: universe.size })
  }
  if (url.pathname !== '/quote') return sendJson(res, 404, { error: `no such endpoint ${url.pathname}` })
  if (req.method !== 'GET') return sendJson(res, 405, { error: 'quotes are fetched with GET' })
  const symbol = url.searchParams.get('symbol') ?? ''
  const tickText = url.searchParams.get('tick') ?? ''
  const tick = /^\d{1,9}$/.test(tickText) ? Number(tickText) : NaN
  if (!Number.isInteger(tick)) return sendJson(res, 400, { error: `tick must be a non-negative integer, got ${JSON.stringify(tickText)}` })
  if (!universe.has(symbol)) return sendJson(res, 404, { error: `unknown symbol ${JSON.stringify(symbol)}` })
  quoteRequests++
  if (++inFlight > maxInFlight) maxInFlight = inFlight
  const quote = computeQuote(options.seed, symbol, tick)
  if (options.latencyMs > 0) setTimeout(sendQuote, options.latencyMs, res, quote)
  else sendQuote(res, quote)
}

const server = http.createServer(handleQuoteRequest)
// Longer than the client agent's idle timeout, so the client always closes an idle socket first and
// never reuses one the server is closing (the classic keep-alive ECONNRESET race).
server.keepAliveTimeout = 60_000
server.on('error', (err) => post({ type: 'error', message: err.message }))
server.listen(0, QUOTE_SERVER_HOST, () => {
  const address = server.address() as AddressInfo
  post({ type: 'listening', address: address.address, family: address.family, port: address.port })
})
