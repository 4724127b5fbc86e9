// One-stream throughput between js-libp2p peers (TCP + Noise + Yamux), the reference for bench/transport-throughput.sh.
// Sink:   node throughput.mjs --sink                      prints {"event":"listening","addrs":[..]}, then one
//                                                          {"event":"received","bytes":..} per stream
// Source: node throughput.mjs --push <multiaddr> --mb N   pushes N MiB over one stream of /mgr/bench/push/1.0.0 and
//                                                          prints {"event":"pushed","bytes":..,"seconds":..,"mbPerSecond":..}
// The sink answers each stream with the 8-byte big-endian count it read once the source has closed its side,
// so the source's clock covers delivery, not just buffering.
import { createLibp2p } from 'libp2p'
import { tcp } from '@libp2p/tcp'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@libp2p/yamux'
import { multiaddr } from '@multiformats/multiaddr'

const Protocol = '/mgr/bench/push/1.0.0'
const args = process.argv.slice(2)
const option = (name) => { const i = args.indexOf(name); return i < 0 ? undefined : args[i + 1] }
const print = (event, fields) => process.stdout.write(JSON.stringify({ event, ...fields }) + '\n')

const node = await createLibp2p({
  addresses: { listen: args.includes('--sink') ? ['/ip4/127.0.0.1/tcp/0'] : [] },
  transports: [tcp()],
  connectionEncrypters: [noise()],
  streamMuxers: [yamux()]
})

if (args.includes('--sink')) {
  await node.handle(Protocol, async (stream) => {
    let bytes = 0
    for await (const chunk of stream) bytes += chunk.byteLength
    const reply = new Uint8Array(8)
    new DataView(reply.buffer).setBigUint64(0, BigInt(bytes))
    stream.send(reply)
    await stream.close()
    print('received', { bytes })
  }, { maxInboundStreams: 4 })
  print('listening', { peerId: node.peerId.toString(), addrs: node.getMultiaddrs().map((a) => a.toString()) })
  process.stdin.resume()
  process.stdin.on('end', async () => { await node.stop(); process.exit(0) })
} else {
  const total = Number(option('--mb') ?? 256) * 1024 * 1024
  const chunk = new Uint8Array(64 * 1024).fill(7)
  const stream = await node.dialProtocol(multiaddr(option('--push')), Protocol)
  const start = process.hrtime.bigint()
  for (let sent = 0; sent < total; sent += chunk.byteLength) {
    if (!stream.send(chunk)) await stream.onDrain()
  }
  await stream.close()
  let reply = 0
  for await (const part of stream) reply += part.byteLength
  const seconds = Number(process.hrtime.bigint() - start) / 1e9
  if (reply !== 8) print('error', { message: `sink replied ${reply} bytes` })
  print('pushed', { bytes: total, seconds, mbPerSecond: total / 1e6 / seconds })
  await node.stop()
}
