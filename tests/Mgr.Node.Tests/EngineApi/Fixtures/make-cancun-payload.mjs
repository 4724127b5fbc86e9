import { createBlockHeader } from '@ethereumjs/block';
import { createMPT } from '@ethereumjs/mpt';
import { RLP } from '@ethereumjs/rlp';
import { Common, Mainnet, Hardfork } from '@ethereumjs/common';
import { bytesToHex, hexToBytes } from '@ethereumjs/util';

const common = new Common({ chain: Mainnet, hardfork: Hardfork.Cancun });
const txs = ['0x02f86b0180843b9aca00850ba43b740082520894000000000000000000000000000000000000dead0180c001a0' + '11'.repeat(32) + 'a0' + '22'.repeat(32),
             '0x' + 'ab'.repeat(150), '0x01'];
const trie = await createMPT();
for (let i = 0; i < txs.length; i++) await trie.put(RLP.encode(i), hexToBytes(txs[i]));
const txRoot = trie.root();
const wds = [
  { index: '0x0', validatorIndex: '0x10', address: '0x' + '42'.repeat(20), amount: '0x3b9aca00' },
  { index: '0x1', validatorIndex: '0x11', address: '0x' + '43'.repeat(20), amount: '0x1' },
];
const wTrie = await createMPT();
for (let i = 0; i < wds.length; i++) {
  const w = wds[i];
  await wTrie.put(RLP.encode(i), RLP.encode([BigInt(w.index), BigInt(w.validatorIndex), hexToBytes(w.address), BigInt(w.amount)]));
}
const payload = {
  parentHash: '0x' + '01'.repeat(32), feeRecipient: '0x' + 'fe'.repeat(20), stateRoot: '0x' + '02'.repeat(32),
  receiptsRoot: '0x' + '03'.repeat(32), logsBloom: '0x' + '00'.repeat(255) + '80', prevRandao: '0x' + '04'.repeat(32),
  blockNumber: '0x1234', gasLimit: '0x1c9c380', gasUsed: '0x5208', timestamp: '0x65f1b057', extraData: '0x6d6772',
  baseFeePerGas: '0x7', blockHash: '', transactions: txs, withdrawals: wds, blobGasUsed: '0x0', excessBlobGas: '0x20000',
};
const parentBeaconBlockRoot = '0x' + '05'.repeat(32);
const header = createBlockHeader({
  parentHash: payload.parentHash, coinbase: payload.feeRecipient, stateRoot: payload.stateRoot,
  transactionsTrie: txRoot, receiptTrie: payload.receiptsRoot, logsBloom: payload.logsBloom, difficulty: 0n,
  number: BigInt(payload.blockNumber), gasLimit: BigInt(payload.gasLimit), gasUsed: BigInt(payload.gasUsed),
  timestamp: BigInt(payload.timestamp), extraData: payload.extraData, mixHash: payload.prevRandao, nonce: '0x0000000000000000',
  baseFeePerGas: BigInt(payload.baseFeePerGas), withdrawalsRoot: wTrie.root(), blobGasUsed: 0n, excessBlobGas: BigInt(payload.excessBlobGas),
  parentBeaconBlockRoot,
}, { common });
payload.blockHash = bytesToHex(header.hash());
console.log(JSON.stringify({ comment: 'Generated with @ethereumjs/block 10.1.3 createBlockHeader + @ethereumjs/mpt roots by make-cancun-payload.mjs (copy it into tests/interop and run it with node_modules/.bin/node there)', executionPayload: payload, expectedBlobVersionedHashes: [], parentBeaconBlockRoot, transactionsRoot: bytesToHex(txRoot), withdrawalsRoot: bytesToHex(wTrie.root()) }, null, 2));
