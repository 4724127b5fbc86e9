// Builds an @ethereumjs/mpt trie from a file of leaves and prints its root and the time the inserts took.
// Used by bench/Mgr.Bench/Trie/EthereumjsComparison (see bench/README.md).
//
// Usage: node bench-root.mjs <leaves.bin>
// leaves.bin: records of key (32 bytes) ‖ value length (1 byte) ‖ value, in ascending key order.
// Output (stdout): {"root":"0x…","leaves":N,"insertMilliseconds":T}
import { readFileSync } from 'node:fs'
import { createMPT } from '@ethereumjs/mpt'
import { bytesToHex } from '@ethereumjs/util'

const data = readFileSync(process.argv[2])
const leaves = []
for (let at = 0; at < data.length;) {
  const key = data.subarray(at, at + 32)
  const length = data[at + 32]
  leaves.push([key, data.subarray(at + 33, at + 33 + length)])
  at += 33 + length
}

const started = performance.now()
const trie = await createMPT()
for (const [key, value] of leaves) await trie.put(key, value)
const root = trie.root()
const insertMilliseconds = performance.now() - started

process.stdout.write(JSON.stringify({ root: bytesToHex(root), leaves: leaves.length, insertMilliseconds }))
