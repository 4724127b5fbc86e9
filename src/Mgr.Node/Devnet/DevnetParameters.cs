using System.Text.Json;

namespace Mgr.Node.Devnet;

/// <summary>Everything that determines a devnet: the same parameters always give byte-identical genesis, blocks and
/// state. Saved as <c>&lt;datadir&gt;/devnet.json</c> so the producer and followers can regenerate the genesis state and
/// continue the chain.</summary>
/// <remarks>Call <see cref="Validate"/> before use; <see cref="Load"/> validates. Limits keep a typo from asking for
/// terabytes: at most 100,000,000 accounts, 1,000,000 contracts, 10,000,000 slots per contract.</remarks>
public sealed record DevnetParameters
{
    public const long MaxAccounts = 100_000_000;
    public const long MaxContracts = 1_000_000;
    public const long MaxSlotsPerContract = 10_000_000;

    /// <summary>Externally owned accounts at genesis.</summary>
    public required long Accounts { get; init; }

    /// <summary>Contracts (code + storage) at genesis.</summary>
    public required long Contracts { get; init; }

    /// <summary>Slots of the largest genesis contract; the others follow a long tail (contract j has about S/(j+1)).</summary>
    public required long MaxSlots { get; init; }

    /// <summary>Seed of every derived value.</summary>
    public required ulong Seed { get; init; }

    /// <summary>Chain id in the genesis config.</summary>
    public ulong ChainId { get; init; } = 1337;

    /// <summary>MGR epoch length in blocks (spec/mgr-protocol.md §5); recorded for nodes serving this devnet.</summary>
    public ulong EpochLength { get; init; } = 32;

    /// <summary>Slot time: consecutive blocks' timestamps differ by this many seconds.</summary>
    public ulong SecondsPerBlock { get; init; } = 12;

    /// <summary>Account-level operations (transfers, storage writes) per block.</summary>
    public int OperationsPerBlock { get; init; } = 64;

    /// <summary>Timestamp of the genesis block (fixed so generation is deterministic).</summary>
    public ulong GenesisTimestamp { get; init; } = 1_700_000_000;

    /// <summary>Gas limit of every block.</summary>
    public ulong GasLimit { get; init; } = 30_000_000;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first parameter out of range.</summary>
    public void Validate()
    {
        Check(Accounts is >= 1 and <= MaxAccounts, nameof(Accounts), $"must be 1..{MaxAccounts}");
        Check(Contracts is >= 0 and <= MaxContracts, nameof(Contracts), $"must be 0..{MaxContracts}");
        Check(MaxSlots is >= 0 and <= MaxSlotsPerContract, nameof(MaxSlots), $"must be 0..{MaxSlotsPerContract}");
        Check(ChainId >= 1, nameof(ChainId), "must be at least 1");
        Check(EpochLength >= 1, nameof(EpochLength), "must be at least 1");
        Check(SecondsPerBlock is >= 1 and <= 3600, nameof(SecondsPerBlock), "must be 1..3600");
        Check(OperationsPerBlock is >= 1 and <= 100_000, nameof(OperationsPerBlock), "must be 1..100000");
        Check(GasLimit >= 5000, nameof(GasLimit), "must be at least 5000");
    }

    /// <summary>Writes the parameters as JSON.</summary>
    public void Save(string path)
    {
        using FileStream stream = File.Create(path);
        using var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        writer.WriteStartObject();
        writer.WriteNumber("accounts", Accounts);
        writer.WriteNumber("contracts", Contracts);
        writer.WriteNumber("maxSlots", MaxSlots);
        writer.WriteNumber("seed", Seed);
        writer.WriteNumber("chainId", ChainId);
        writer.WriteNumber("epochLength", EpochLength);
        writer.WriteNumber("secondsPerBlock", SecondsPerBlock);
        writer.WriteNumber("operationsPerBlock", OperationsPerBlock);
        writer.WriteNumber("genesisTimestamp", GenesisTimestamp);
        writer.WriteNumber("gasLimit", GasLimit);
        writer.WriteEndObject();
        writer.Flush();
        stream.Flush(flushToDisk: true);
    }

    /// <summary>Reads parameters written by <see cref="Save"/>.</summary>
    /// <exception cref="DevnetException">When the file is missing, malformed or out of range.</exception>
    public static DevnetParameters Load(string path)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(File.ReadAllBytes(path));
            JsonElement root = document.RootElement;
            var parameters = new DevnetParameters
            {
                Accounts = root.GetProperty("accounts").GetInt64(),
                Contracts = root.GetProperty("contracts").GetInt64(),
                MaxSlots = root.GetProperty("maxSlots").GetInt64(),
                Seed = root.GetProperty("seed").GetUInt64(),
                ChainId = root.GetProperty("chainId").GetUInt64(),
                EpochLength = root.GetProperty("epochLength").GetUInt64(),
                SecondsPerBlock = root.GetProperty("secondsPerBlock").GetUInt64(),
                OperationsPerBlock = root.GetProperty("operationsPerBlock").GetInt32(),
                GenesisTimestamp = root.GetProperty("genesisTimestamp").GetUInt64(),
                GasLimit = root.GetProperty("gasLimit").GetUInt64(),
            };
            parameters.Validate();
            return parameters;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or KeyNotFoundException
                                      or InvalidOperationException or FormatException or ArgumentException)
        {
            throw new DevnetException($"Cannot read devnet parameters from {path}: {e.Message}", e);
        }
    }

    private static void Check(bool condition, string name, string rule)
    {
        if (!condition) throw new ArgumentException($"Devnet parameter {name} {rule}.", name);
    }
}
