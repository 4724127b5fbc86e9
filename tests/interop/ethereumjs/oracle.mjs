// An independent Ethereum implementation (@ethereumjs) answering a batch of questions, so the C# interop
// tests can compare our answers with its answers. One process answers many questions: spawning node
// costs ~0.3 s, so the tests send everything they need in one request.
//
// Input (stdin):  {"requests": [ {"op": "...", ...}, ... ]}   all byte strings are 0x-hex
// Output (stdout): {"responses": [ ... ]}                      one response per request, same order
//
// Ops:
//   root         {entries: [[key, value], ...], secure: bool}            -> {root}
//   rangeProofs  {entries, ranges: [{origin, count}, ...]}                -> {root, proofs: [{keys, values, proof}]}
//                per range, the first `count` keys >= origin, proved like geth/snap: proof(origin) + proof(last key)
//   verifyRange  {root, origin, keys, values, proof (array or null)}      -> {valid, hasMore, error?}
//                snap semantics: first key = origin, last key = the last returned key
//   header       {rlp, hardfork}                                          -> {hash, rlp}
//                decodes a header's field list, rebuilds it with a Common at `hardfork`, re-serialises
//   genesis      {genesis: <geth genesis.json object>}                    -> {stateRoot, hash}
import {
  createMPT,
  createMerkleProof,
  genesisMPTStateRoot,
  verifyMerkleRangeProof,
} from '@ethereumjs/mpt'
import { RLP } from '@ethereumjs/rlp'
import { bytesToHex, hexToBytes } from '@ethereumjs/util'
import { Common, Mainnet, createCommonFromGethGenesis, parseGethGenesisState } from '@ethereumjs/common'
import { createBlockHeader, createBlockHeaderFromBytesArray } from '@ethereumjs/block'

const readStdin = async () => {
  const chunks = []
  for await (const chunk of process.stdin) chunks.push(chunk)
  return Buffer.concat(chunks).toString('utf8')
}

const compareBytes = (a, b) => {
  const n = Math.min(a.length, b.length)
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] - b[i]
  return a.length - b.length
}

const buildTrie = async (entries, secure) => {
  const trie = await createMPT({ useKeyHashing: secure })
  for (const [key, value] of entries) await trie.put(hexToBytes(key), hexToBytes(value))
  return trie
}

const ops = {
  async root({ entries, secure }) {
    const trie = await buildTrie(entries, secure === true)
    return { root: bytesToHex(trie.root()) }
  },

  async rangeProofs({ entries, ranges }) {
    const trie = await buildTrie(entries, false)
    const sorted = entries.map(([k, v]) => [hexToBytes(k), hexToBytes(v)]).sort((a, b) => compareBytes(a[0], b[0]))
    const proofs = []
    for (const { origin, count } of ranges) {
      const originBytes = hexToBytes(origin)
      const leaves = sorted.filter(([k]) => compareBytes(k, originBytes) >= 0).slice(0, count)
      const nodes = new Map()
      const add = (proof) => { for (const node of proof) nodes.set(bytesToHex(node), node) }
      add(await createMerkleProof(trie, originBytes))
      if (leaves.length > 0) add(await createMerkleProof(trie, leaves[leaves.length - 1][0]))
      proofs.push({
        keys: leaves.map(([k]) => bytesToHex(k)),
        values: leaves.map(([, v]) => bytesToHex(v)),
        proof: [...nodes.keys()],
      })
    }
    return { root: bytesToHex(trie.root()), proofs }
  },

  async verifyRange({ root, origin, keys, values, proof }) {
    const keyBytes = keys.map(hexToBytes)
    const noProof = proof === null
    const first = noProof ? null : hexToBytes(origin)
    const last = noProof || keyBytes.length === 0 ? null : keyBytes[keyBytes.length - 1]
    try {
      const hasMore = await verifyMerkleRangeProof(
        hexToBytes(root), first, last, keyBytes, values.map(hexToBytes), noProof ? null : proof.map(hexToBytes))
      return { valid: true, hasMore }
    } catch (error) {
      return { valid: false, hasMore: false, error: String(error?.message ?? error) }
    }
  },

  async header({ rlp, hardfork }) {
    const values = RLP.decode(hexToBytes(rlp))
    const common = new Common({ chain: Mainnet, hardfork })
    const header = createBlockHeaderFromBytesArray(values, { common, skipConsensusFormatValidation: true })
    return { hash: bytesToHex(header.hash()), rlp: bytesToHex(header.serialize()) }
  },

  async genesis({ genesis: file }) {
    // @ethereumjs needs nonce and timestamp, which geth lets a file omit (zero).
    const genesis = { nonce: '0x0', timestamp: '0x0', ...file }
    const stateRoot = await genesisMPTStateRoot(parseGethGenesisState(genesis))
    const common = createCommonFromGethGenesis(genesis, { chain: 'custom' })
    common.setHardforkBy({ blockNumber: 0n, timestamp: BigInt(genesis.timestamp ?? 0) })
    // Common's genesis() leaves out fields geth copies from the file into the genesis header.
    const fromFile = {}
    for (const name of ['parentHash', 'gasUsed', 'blobGasUsed']) if (genesis[name] !== undefined) fromFile[name] = genesis[name]
    const header = createBlockHeader(
      { ...common.genesis(), ...fromFile, number: 0n, stateRoot },
      { common, skipConsensusFormatValidation: true })
    return { stateRoot: bytesToHex(stateRoot), hash: bytesToHex(header.hash()) }
  },
}

const { requests } = JSON.parse(await readStdin())
const responses = []
for (const request of requests) {
  const op = ops[request.op]
  if (op === undefined) throw new Error(`unknown op ${request.op}`)
  responses.push(await op(request))
}
process.stdout.write(JSON.stringify({ responses }))
