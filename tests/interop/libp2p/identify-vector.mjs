// Prints, as hex, an Identify message encoded by js-libp2p's own protobuf codec (@libp2p/identify).
// Its output is the fixture in tests/Mgr.Protocol.Tests/Transport/Identify/IdentifyMessageTests.cs.
// Run: tests/interop/node_modules/.bin/node tests/interop/libp2p/identify-vector.mjs
import { Identify } from '../node_modules/@libp2p/identify/dist/src/pb/message.js' // not exported by the package
import { multiaddr } from '@multiformats/multiaddr'

const message = {
  protocolVersion: 'ipfs/0.1.0',
  agentVersion: 'js-libp2p/3.3.11 UserAgent=v22',
  publicKey: Uint8Array.from([8, 1, 18, 32, ...Array.from({ length: 32 }, (_, i) => i)]),
  listenAddrs: [multiaddr('/ip4/127.0.0.1/tcp/4001').bytes, multiaddr('/ip6/::1/tcp/4002').bytes],
  observedAddr: multiaddr('/ip4/10.0.0.7/tcp/55555').bytes,
  protocols: ['/ipfs/id/1.0.0', '/ipfs/ping/1.0.0', '/ipfs/id/push/1.0.0'],
  signedPeerRecord: Uint8Array.from([1, 2, 3])
}
console.log(Buffer.from(Identify.encode(message)).toString('hex'))
