// A js-libp2p peer for interop tests with the C# stack (TCP + Noise + Yamux, Identify, Ping).
// Usage: node peer.mjs --key secp256k1|ed25519 [--dial <multiaddr>] [--pings N]
// Listens on 127.0.0.1 (random port) in both modes and prints JSON lines on stdout:
//   {"event":"listening","peerId":..,"addrs":[..]}          at start-up
//   {"event":"identify","peerId":..,"agentVersion":..,...}  whenever a remote peer is identified
//   {"event":"ping","peerId":..,"rttMs":..}                  for each ping this peer sends
//   {"event":"error","message":..}                          on a failure
// With --dial it connects to the multiaddr and pings it N times (default 3); without, it pings each peer that
// connects once that peer has been identified. It runs until stdin closes or it is killed.
import { createLibp2p } from 'libp2p'
import { tcp } from '@libp2p/tcp'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@libp2p/yamux'
import { identify } from '@libp2p/identify'
import { ping } from '@libp2p/ping'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { multiaddr } from '@multiformats/multiaddr'

const args = Object.fromEntries(process.argv.slice(2).reduce((pairs, arg, i, all) => {
  if (arg.startsWith('--')) pairs.push([arg.slice(2), all[i + 1]?.startsWith('--') ? 'true' : all[i + 1]])
  return pairs
}, []))
const keyType = args.key === 'ed25519' ? 'Ed25519' : 'secp256k1'
const pings = Number(args.pings ?? 3)

const print = (event, fields) => process.stdout.write(JSON.stringify({ event, ...fields }) + '\n')

const node = await createLibp2p({
  privateKey: await generateKeyPair(keyType),
  addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
  transports: [tcp()],
  connectionEncrypters: [noise()],
  streamMuxers: [yamux()],
  // js's ping() returns before its stream has fully closed (it does not await the final close), so with its default of
  // one outbound ping stream per connection the next round can be refused by js itself ("Too many outbound protocol
  // streams … 2/1") while the peer's FIN is on its way. Room for every round removes that race on the js side only.
  services: { identify: identify(), ping: ping({ maxOutboundStreams: pings + 1 }) }
})

async function pingPeer (target, peerId) {
  for (let i = 0; i < pings; i++) {
    try {
      const rttMs = await node.services.ping.ping(target, { signal: AbortSignal.timeout(10_000) })
      print('ping', { peerId, rttMs })
    } catch (err) {
      print('error', { message: `ping failed: ${err.message}` })
    }
  }
}

const pinged = new Set()
node.addEventListener('peer:identify', (evt) => {
  const result = evt.detail
  const peerId = result.peerId.toString()
  print('identify', {
    peerId,
    agentVersion: result.agentVersion ?? null,
    protocolVersion: result.protocolVersion ?? null,
    protocols: result.protocols,
    listenAddrs: result.listenAddrs.map((a) => a.toString()),
    observedAddr: result.observedAddr?.toString() ?? null
  })
  if (args.dial === undefined && !pinged.has(peerId)) {
    pinged.add(peerId)
    pingPeer(result.peerId, peerId)
  }
})

print('listening', { peerId: node.peerId.toString(), keyType, addrs: node.getMultiaddrs().map((a) => a.toString()) })

if (args.dial !== undefined) {
  try {
    const target = multiaddr(args.dial)
    await pingPeer(target, target.getComponents().find((c) => c.name === 'p2p')?.value ?? null)
  } catch (err) {
    print('error', { message: `dial failed: ${err.message}` })
  }
}

process.stdin.resume()
process.stdin.on('end', async () => {
  await node.stop()
  process.exit(0)
})
