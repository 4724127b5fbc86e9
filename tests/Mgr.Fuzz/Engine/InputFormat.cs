namespace Mgr.Fuzz.Engine;

/// <summary>The shape of a target's input, which picks the structure-aware mutations the fuzzer adds to the
/// byte-level ones.</summary>
internal enum InputFormat
{
    /// <summary>Opaque bytes: only byte-level mutations and the dictionary.</summary>
    Raw,

    /// <summary>One RLP item (after <see cref="FuzzTarget.StructureOffset"/> leading bytes).</summary>
    Rlp,

    /// <summary>A protobuf message (after <see cref="FuzzTarget.StructureOffset"/> leading bytes).</summary>
    Protobuf,

    /// <summary>UTF-8 JSON text.</summary>
    Json,

    /// <summary>UTF-8 text that is not JSON (multiaddr strings, tokens).</summary>
    Text,
}
