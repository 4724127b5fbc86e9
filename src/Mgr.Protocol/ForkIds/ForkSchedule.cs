using System.Buffers.Binary;
using Mgr.Trie.Primitives;

namespace Mgr.Protocol.ForkIds;

/// <summary>A chain's fork activations — block-numbered forks (EIP-2124) then timestamp forks (EIP-6122) —
/// from which it computes its own <see cref="ForkId"/> and validates remote ones.</summary>
/// <remarks>Activations at block 0, or at or before the genesis timestamp, are not forks; duplicates count once.
/// Immutable and thread-safe.</remarks>
public sealed class ForkSchedule
{
    /// <summary>Remote <c>fork_next</c> values above this are timestamps (mainnet's genesis time), as geth decides.</summary>
    public const ulong TimestampThreshold = 1_438_269_973;

    private readonly ulong[] _forks;      // block forks then time forks, then a never-passed sentinel
    private readonly int _blockForkCount; // block forks, plus the sentinel when there are no time forks
    private readonly uint[] _sums;        // _sums[i] = checksum over genesis and the first i forks

    public ForkSchedule(Hash256 genesisHash, IEnumerable<ulong> blockForks, IEnumerable<ulong> timeForks, ulong genesisTime = 0)
    {
        ulong[] byBlock = [.. blockForks.Where(static f => f != 0).Distinct().Order()];
        ulong[] byTime = [.. timeForks.Where(f => f > genesisTime).Distinct().Order()];
        GenesisHash = genesisHash;
        _forks = [.. byBlock, .. byTime, ulong.MaxValue];
        _blockForkCount = byTime.Length == 0 ? byBlock.Length + 1 : byBlock.Length;
        _sums = new uint[_forks.Length];
        Span<byte> buffer = stackalloc byte[Hash256.Length];
        genesisHash.CopyTo(buffer);
        _sums[0] = Crc32.Compute(buffer);
        for (int i = 0; i < _forks.Length - 1; i++)
        {
            BinaryPrimitives.WriteUInt64BigEndian(buffer, _forks[i]);
            _sums[i + 1] = Crc32.Update(_sums[i], buffer[..8]);
        }
    }

    /// <summary>The chain's genesis block hash.</summary>
    public Hash256 GenesisHash { get; }

    /// <summary>The fork id a node at this head announces.</summary>
    public ForkId ForkIdAt(ulong headNumber, ulong headTime)
    {
        for (int i = 0; i < _forks.Length - 1; i++)
        {
            if (HeadFor(i, headNumber, headTime) < _forks[i]) return new ForkId(_sums[i], _forks[i]);
        }
        return new ForkId(_sums[^1], 0);
    }

    /// <summary>Validates a remote fork id against this chain at the local head (EIP-2124 rules, EIP-6122 ordering).</summary>
    public ForkIdValidation Validate(ForkId remote, ulong headNumber, ulong headTime)
    {
        for (int i = 0; i < _forks.Length; i++)
        {
            ulong head = HeadFor(i, headNumber, headTime);
            if (head >= _forks[i]) continue;
            // The first fork not passed locally: _sums[i] is our current state.
            if (_sums[i] == remote.Hash)
            {
                bool remoteForkPassed = remote.Next > 0
                    && (head >= remote.Next || (remote.Next > TimestampThreshold && headTime >= remote.Next));
                return remoteForkPassed ? ForkIdValidation.LocalIncompatibleOrStale : ForkIdValidation.Accept; // rules 1a / 1b
            }
            for (int j = 0; j < i; j++)
            {
                if (_sums[j] == remote.Hash) return _forks[j] == remote.Next ? ForkIdValidation.Accept : ForkIdValidation.RemoteStale; // rule 2
            }
            for (int j = i + 1; j < _sums.Length; j++)
            {
                if (_sums[j] == remote.Hash) return ForkIdValidation.Accept; // rule 3
            }
            return ForkIdValidation.LocalIncompatibleOrStale; // rule 4
        }
        return ForkIdValidation.LocalIncompatibleOrStale; // only a head at ulong.MaxValue passes the sentinel
    }

    // Block forks compare with the head number, time forks with the head timestamp.
    private ulong HeadFor(int forkIndex, ulong headNumber, ulong headTime) => forkIndex < _blockForkCount ? headNumber : headTime;
}
