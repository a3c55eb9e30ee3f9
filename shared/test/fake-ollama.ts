/**
 * A real HTTP server on port 0 that speaks the part of Ollama's API the hub
 * uses: `GET /api/tags` and `POST /api/chat`, one JSON body or NDJSON.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface ChatCall {
  model: string
  stream: boolean
  format: Record<string, unknown>
  messages: Array<{ role: string, content: string, images?: string[] }>
}

export interface FakeOllama {
  url: string
  /** Models `GET /api/tags` lists. */
  models: string[]
  /** What the model "says"; streamed in three pieces when asked to stream. */
  answer: string
  /**
   * When set, what the model says to this call instead of `answer`: lets a
   * test make answers depend on the model, the system prompt or the user turn,
   * or hold an answer back until the test lets it go.
   */
  reply?: (call: ChatCall) => string | Promise<string>
  /**
   * `chat` or `tags`: that call never answers; `stream`: a streamed chat
   * sends one chunk and then stalls.
   */
  hang: 'no' | 'chat' | 'stream' | 'tags'
  chats: ChatCall[]
  close: () => Promise<void>
}

type FakeState = Omit<FakeOllama, 'url' | 'close'>

export async function startFakeOllama (
  models: string[] = ['gemma4:e2b']
): Promise<FakeOllama> {
  const fake: FakeState = { models, answer: '', hang: 'no', chats: [] }
  const server = createServer((req, res) => {
    handle(fake, req, res).catch(() => res.destroy())
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo

  return Object.assign(fake, {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
    }
  })
}

async function handle (fake: FakeState,
  req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method === 'GET' && req.url === '/api/tags') {
    if (fake.hang === 'tags') return
    const at = new Date().toISOString()
    const list = fake.models.map((name) =>
      ({ name, model: name, modified_at: at, size: 1, digest: 'x', details: {} }))
    return json(res, 200, { models: list })
  }
  if (req.method !== 'POST' || req.url !== '/api/chat') {
    return json(res, 404, { error: 'not found' })
  }

  const call = JSON.parse(await readBody(req)) as ChatCall
  fake.chats.push(call)
  if (!fake.models.includes(call.model)) {
    const error = `model "${call.model}" not found, try pulling it first`
    return json(res, 404, { error })
  }
  if (fake.hang === 'chat') return
  const content = await (fake.reply?.(call) ?? fake.answer)
  if (call.stream) return streamChat(fake, call, content, res)
  json(res, 200, { ...chunk(call.model, content, true), done_reason: 'stop' })
}

function streamChat (fake: FakeState, call: ChatCall, content: string,
  res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'application/x-ndjson' })
  const third = Math.ceil(content.length / 3)
  const pieces = [0, 1, 2].map((i) => content.slice(i * third, (i + 1) * third))
  if (fake.hang === 'stream') {
    res.write(JSON.stringify(chunk(call.model, pieces[0] ?? '', false)) + '\n')
    return
  }
  for (const piece of pieces) {
    res.write(JSON.stringify(chunk(call.model, piece, false)) + '\n')
  }
  res.end(JSON.stringify({ ...chunk(call.model, '', true), done_reason: 'stop' }) + '\n')
}

function chunk (model: string, content: string, done: boolean): Record<string, unknown> {
  return {
    model,
    created_at: new Date().toISOString(),
    message: { role: 'assistant', content },
    done
  }
}

function json (res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' })
  res.end(JSON.stringify(body))
}

async function readBody (req: IncomingMessage): Promise<string> {
  const parts: Buffer[] = []
  for await (const part of req) parts.push(part as Buffer)
  return Buffer.concat(parts).toString('utf8')
}

/** A port nothing listens on: bound, then released. */
export async function unusedPort (): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise((resolve) => server.close(resolve))
  return port
}
