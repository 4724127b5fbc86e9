namespace Mgr.Protocol.Encoding;

/// <summary>The protobuf wire types this stack reads and writes (groups are rejected as malformed).</summary>
public enum ProtobufWireType
{
    /// <summary>A base-128 varint.</summary>
    Varint = 0,
    /// <summary>Eight little-endian bytes.</summary>
    Fixed64 = 1,
    /// <summary>A varint length followed by that many bytes (bytes, strings, embedded messages).</summary>
    LengthDelimited = 2,
    /// <summary>Four little-endian bytes.</summary>
    Fixed32 = 5,
}
