/**
 * The bounded-parallel variant: `concurrency` lanes pull the next symbol from a shared cursor, so at
 * most that many requests are in flight and a collection takes about symbols / concurrency latencies.
 */
import { type QuoteClient, fetchQuote } from './quote-client.js'
import type { Quote } from './quotes.js'

/** Fetches the quotes of `symbols` at `tick` with at most `concurrency` in flight; result in input order. */
export async function collectQuotesParallel(
  client: QuoteClient,
  symbols: readonly string[],
  tick: number,
  concurrency: number,
): Promise<Quote[]> {
  const quotes = new Array<Quote>(symbols.length)
  let cursor = 0
  let failed = false
  // One lane per permitted connection; a failure stops the other lanes from starting new requests.
  async function fetchQuotesLane(): Promise<void> {
    while (!failed && cursor < symbols.length) {
      const i = cursor++
      try {
        quotes[i] = await fetchQuote(client, symbols[i]!, tick)
      } catch (err) {
        failed = true
        throw err
      }
    }
  }
  const lanes: Promise<void>[] = []
  for (let l = 0; l < Math.min(concurrency, symbols.length); l++) lanes.push(fetchQuotesLane())
  await Promise.all(lanes)
  return quotes
}
