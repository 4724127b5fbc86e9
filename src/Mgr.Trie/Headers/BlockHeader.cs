using System.Buffers;
using System.Buffers.Binary;
using Mgr.Trie.Crypto;
using Mgr.Trie.Primitives;
using Mgr.Trie.Rlp;
using Mgr.Trie.State;

namespace Mgr.Trie.Headers;

/// <summary>An Ethereum block header with the field set of any fork from Frontier to Prague, its RLP
/// encoding and its hash (Keccak-256 of the encoding, computed once and cached).</summary>
/// <remarks>
/// <para>Immutable once built (do not mutate the array behind <see cref="ExtraData"/>); safe to share across
/// threads. The fork-specific fields must be present exactly as <see cref="Fork"/> requires: all of them
/// up to one fork and none after; anything else is a programming error and <see cref="Fork"/> throws
/// <see cref="InvalidOperationException"/>.</para>
/// <para><see cref="Decode"/> infers the fork from the field count, rejects any other count, and is strict:
/// canonical integers, exact lengths for hashes (32), coinbase (20), bloom (256) and nonce (8), nothing after
/// the list. Errors are <see cref="HeaderDecodeException"/> naming the field. Decoding does not enforce the
/// 32-byte extraData limit: that is a consensus rule of PoW/PoS chains (Clique headers carry 97 bytes), left
/// to header validation.</para>
/// </remarks>
public sealed class BlockHeader
{
    /// <summary>Keccak-256 of the RLP of an empty list: the ommers hash of every block without ommers.</summary>
    public static readonly Hash256 EmptyOmmersHash = Hash256.Parse("0x1dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347");

    /// <summary>SHA-256 of nothing: the requests hash of a block without execution-layer requests (EIP-7685).</summary>
    public static readonly Hash256 EmptyRequestsHash = Hash256.Parse("0xe3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");

    // JSON names of the fields in RLP order (as in eth_getBlockByNumber).
    private static readonly string[] FieldNames =
    [
        "parentHash", "sha3Uncles", "miner", "stateRoot", "transactionsRoot", "receiptsRoot", "logsBloom",
        "difficulty", "number", "gasLimit", "gasUsed", "timestamp", "extraData", "mixHash", "nonce",
        "baseFeePerGas", "withdrawalsRoot", "blobGasUsed", "excessBlobGas", "parentBeaconBlockRoot", "requestsHash",
    ];

    private HashHolder? _hash;

    public required Hash256 ParentHash { get; init; }
    public Hash256 OmmersHash { get; init; } = EmptyOmmersHash;
    public required Address Coinbase { get; init; }
    public required Hash256 StateRoot { get; init; }
    public Hash256 TransactionsRoot { get; init; } = Hash256.EmptyTrieRoot;
    public Hash256 ReceiptsRoot { get; init; } = Hash256.EmptyTrieRoot;
    public Bloom LogsBloom { get; init; } = Bloom.Empty;
    public required UInt256 Difficulty { get; init; }
    public required ulong Number { get; init; }
    public required ulong GasLimit { get; init; }
    public required ulong GasUsed { get; init; }
    public required ulong Timestamp { get; init; }
    public ReadOnlyMemory<byte> ExtraData { get; init; }
    /// <summary>The PoW mix digest; prevRandao after the merge.</summary>
    public required Hash256 MixHash { get; init; }
    /// <summary>The 8-byte PoW nonce as a big-endian number (zero after the merge).</summary>
    public required ulong Nonce { get; init; }
    /// <summary>London and later.</summary>
    public UInt256? BaseFeePerGas { get; init; }
    /// <summary>Shanghai and later.</summary>
    public Hash256? WithdrawalsRoot { get; init; }
    /// <summary>Cancun and later.</summary>
    public ulong? BlobGasUsed { get; init; }
    /// <summary>Cancun and later.</summary>
    public ulong? ExcessBlobGas { get; init; }
    /// <summary>Cancun and later.</summary>
    public Hash256? ParentBeaconBlockRoot { get; init; }
    /// <summary>Prague and later.</summary>
    public Hash256? RequestsHash { get; init; }

    /// <summary>The field set this header carries, from which optional fields are present.</summary>
    /// <exception cref="InvalidOperationException">When the optional fields do not form one fork's set.</exception>
    public HeaderFork Fork
    {
        get
        {
            bool london = BaseFeePerGas.HasValue, shanghai = WithdrawalsRoot.HasValue;
            bool cancun = BlobGasUsed.HasValue && ExcessBlobGas.HasValue && ParentBeaconBlockRoot.HasValue;
            bool anyCancun = BlobGasUsed.HasValue || ExcessBlobGas.HasValue || ParentBeaconBlockRoot.HasValue;
            bool prague = RequestsHash.HasValue;
            if (anyCancun && !cancun) throw Inconsistent();
            if (prague && !cancun || cancun && !shanghai || shanghai && !london) throw Inconsistent();
            return prague ? HeaderFork.Prague : cancun ? HeaderFork.Cancun : shanghai ? HeaderFork.Shanghai
                 : london ? HeaderFork.London : HeaderFork.PreLondon;
        }
    }

    /// <summary>Keccak-256 of the RLP encoding; computed on first use, then cached.</summary>
    public Hash256 Hash
    {
        get
        {
            HashHolder? holder = Volatile.Read(ref _hash);
            if (holder is not null) return holder.Value;
            int length = EncodedLength;
            byte[] buffer = ArrayPool<byte>.Shared.Rent(length);
            try
            {
                holder = new HashHolder(Keccak256.Compute(buffer.AsSpan(0, WriteTo(buffer))));
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
            Volatile.Write(ref _hash, holder);
            return holder.Value;
        }
    }

    /// <summary>Length of the RLP encoding.</summary>
    public int EncodedLength => Rlp.Rlp.LengthOfList(ContentLength());

    /// <summary>Writes the RLP encoding into <paramref name="destination"/> (at least <see cref="EncodedLength"/>
    /// bytes) and returns the number of bytes written.</summary>
    public int WriteTo(Span<byte> destination)
    {
        HeaderFork fork = Fork;
        Span<byte> address = stackalloc byte[Address.Length];
        Span<byte> nonce = stackalloc byte[8];
        scoped var writer = new RlpWriter(destination);
        writer.WriteListHeader(ContentLength());
        writer.Write(ParentHash);
        writer.Write(OmmersHash);
        Coinbase.CopyTo(address);
        writer.WriteBytes(address);
        writer.Write(StateRoot);
        writer.Write(TransactionsRoot);
        writer.Write(ReceiptsRoot);
        writer.WriteBytes(LogsBloom.Bytes);
        writer.Write(Difficulty);
        writer.Write(Number);
        writer.Write(GasLimit);
        writer.Write(GasUsed);
        writer.Write(Timestamp);
        writer.WriteBytes(ExtraData.Span);
        writer.Write(MixHash);
        BinaryPrimitives.WriteUInt64BigEndian(nonce, Nonce);
        writer.WriteBytes(nonce);
        if (fork >= HeaderFork.London) writer.Write(BaseFeePerGas!.Value);
        if (fork >= HeaderFork.Shanghai) writer.Write(WithdrawalsRoot!.Value);
        if (fork >= HeaderFork.Cancun)
        {
            writer.Write(BlobGasUsed!.Value);
            writer.Write(ExcessBlobGas!.Value);
            writer.Write(ParentBeaconBlockRoot!.Value);
        }
        if (fork >= HeaderFork.Prague) writer.Write(RequestsHash!.Value);
        return writer.Written;
    }

    /// <summary>The RLP encoding as a new array.</summary>
    public byte[] Encode()
    {
        var bytes = new byte[EncodedLength];
        WriteTo(bytes);
        return bytes;
    }

    /// <summary>Decodes a header's RLP strictly; the hash is taken from <paramref name="encoded"/> itself
    /// (strict decoding guarantees it re-encodes to the same bytes).</summary>
    /// <exception cref="HeaderDecodeException">On anything but one canonical header of a known field set.</exception>
    public static BlockHeader Decode(ReadOnlySpan<byte> encoded)
    {
        RlpReader fields;
        try
        {
            var outer = new RlpReader(encoded);
            fields = outer.ReadList();
            outer.EnsureEnd();
        }
        catch (RlpException e)
        {
            throw new HeaderDecodeException(HeaderError.NotAList, null, $"A block header must be one RLP list: {e.Message}", e);
        }

        int count = CountFields(fields);
        if (count is not ((int)HeaderFork.PreLondon or (int)HeaderFork.London or (int)HeaderFork.Shanghai
            or (int)HeaderFork.Cancun or (int)HeaderFork.Prague))
        {
            throw new HeaderDecodeException(HeaderError.UnsupportedFieldCount, null,
                $"A block header has 15, 16, 17, 20 or 21 fields; this one has {count}.");
        }

        int field = 0;
        try
        {
            Hash256 parentHash = fields.ReadHash(); field++;
            Hash256 ommersHash = fields.ReadHash(); field++;
            var coinbase = new Address(fields.ReadFixed(Address.Length)); field++;
            Hash256 stateRoot = fields.ReadHash(); field++;
            Hash256 transactionsRoot = fields.ReadHash(); field++;
            Hash256 receiptsRoot = fields.ReadHash(); field++;
            var bloom = new Bloom(fields.ReadFixed(Bloom.Length)); field++;
            UInt256 difficulty = fields.ReadUInt256(); field++;
            ulong number = fields.ReadUInt64(); field++;
            ulong gasLimit = fields.ReadUInt64(); field++;
            ulong gasUsed = fields.ReadUInt64(); field++;
            ulong timestamp = fields.ReadUInt64(); field++;
            byte[] extraData = fields.ReadBytes().ToArray(); field++;
            Hash256 mixHash = fields.ReadHash(); field++;
            ulong nonce = BinaryPrimitives.ReadUInt64BigEndian(fields.ReadFixed(8)); field++;
            UInt256? baseFee = null;
            Hash256? withdrawalsRoot = null, parentBeaconBlockRoot = null, requestsHash = null;
            ulong? blobGasUsed = null, excessBlobGas = null;
            if (count >= (int)HeaderFork.London) { baseFee = fields.ReadUInt256(); field++; }
            if (count >= (int)HeaderFork.Shanghai) { withdrawalsRoot = fields.ReadHash(); field++; }
            if (count >= (int)HeaderFork.Cancun)
            {
                blobGasUsed = fields.ReadUInt64(); field++;
                excessBlobGas = fields.ReadUInt64(); field++;
                parentBeaconBlockRoot = fields.ReadHash(); field++;
            }
            if (count >= (int)HeaderFork.Prague) { requestsHash = fields.ReadHash(); field++; }

            return new BlockHeader
            {
                ParentHash = parentHash, OmmersHash = ommersHash, Coinbase = coinbase, StateRoot = stateRoot,
                TransactionsRoot = transactionsRoot, ReceiptsRoot = receiptsRoot, LogsBloom = bloom,
                Difficulty = difficulty, Number = number, GasLimit = gasLimit, GasUsed = gasUsed, Timestamp = timestamp,
                ExtraData = extraData, MixHash = mixHash, Nonce = nonce, BaseFeePerGas = baseFee,
                WithdrawalsRoot = withdrawalsRoot, BlobGasUsed = blobGasUsed, ExcessBlobGas = excessBlobGas,
                ParentBeaconBlockRoot = parentBeaconBlockRoot, RequestsHash = requestsHash,
                _hash = new HashHolder(Keccak256.Compute(encoded)),
            };
        }
        catch (RlpException e)
        {
            throw new HeaderDecodeException(HeaderError.InvalidField, FieldNames[field],
                $"Invalid block header field '{FieldNames[field]}': {e.Reason}.", e);
        }
    }

    // Counts the list's items, naming the first malformed one.
    private static int CountFields(RlpReader fields)
    {
        int count = 0;
        try
        {
            while (!fields.IsEnd)
            {
                fields.Skip();
                count++;
            }
        }
        catch (RlpException e)
        {
            string name = count < FieldNames.Length ? FieldNames[count] : $"#{count}";
            throw new HeaderDecodeException(HeaderError.InvalidField, name, $"Invalid block header field '{name}': {e.Reason}.", e);
        }
        return count;
    }

    private int ContentLength()
    {
        HeaderFork fork = Fork;
        int length = 5 * Rlp.Rlp.LengthOf(ParentHash) + Rlp.Rlp.LengthOfHeader(Address.Length) + Address.Length
                   + Rlp.Rlp.LengthOfHeader(Bloom.Length) + Bloom.Length
                   + Rlp.Rlp.LengthOf(Difficulty) + Rlp.Rlp.LengthOf(Number) + Rlp.Rlp.LengthOf(GasLimit)
                   + Rlp.Rlp.LengthOf(GasUsed) + Rlp.Rlp.LengthOf(Timestamp) + Rlp.Rlp.LengthOf(ExtraData.Span)
                   + Rlp.Rlp.LengthOf(MixHash) + 1 + 8;
        if (fork >= HeaderFork.London) length += Rlp.Rlp.LengthOf(BaseFeePerGas!.Value);
        if (fork >= HeaderFork.Shanghai) length += Rlp.Rlp.LengthOf(WithdrawalsRoot!.Value);
        if (fork >= HeaderFork.Cancun)
            length += Rlp.Rlp.LengthOf(BlobGasUsed!.Value) + Rlp.Rlp.LengthOf(ExcessBlobGas!.Value) + Rlp.Rlp.LengthOf(ParentBeaconBlockRoot!.Value);
        if (fork >= HeaderFork.Prague) length += Rlp.Rlp.LengthOf(RequestsHash!.Value);
        return length;
    }

    private static InvalidOperationException Inconsistent() =>
        new("A header's optional fields must be exactly those of one fork: baseFee (London), + withdrawalsRoot (Shanghai), "
          + "+ blobGasUsed, excessBlobGas, parentBeaconBlockRoot (Cancun), + requestsHash (Prague).");

    // Boxes the cached hash so publishing it is one atomic reference write.
    private sealed class HashHolder(Hash256 value)
    {
        public Hash256 Value { get; } = value;
    }
}
