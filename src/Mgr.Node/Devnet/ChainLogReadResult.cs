namespace Mgr.Node.Devnet;

/// <summary>What <see cref="ChainLogReader.TryRead"/> found at its position.</summary>
public enum ChainLogReadResult
{
    /// <summary>A complete, valid record.</summary>
    Block,
    /// <summary>The end of the file: nothing more yet.</summary>
    End,
    /// <summary>A record that is not complete yet (being written, or torn by a crash).</summary>
    Incomplete,
    /// <summary>A complete record whose checksum or decoding fails.</summary>
    Corrupt,
}
