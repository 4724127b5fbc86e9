namespace Mgr.Protocol.Encoding;

/// <summary>Why a protobuf message was rejected.</summary>
public enum ProtobufError
{
    /// <summary>The input ended inside a field.</summary>
    Truncated,
    /// <summary>A varint is over-long or not minimally encoded.</summary>
    BadVarint,
    /// <summary>A wire type this codec does not accept (groups, reserved values).</summary>
    BadWireType,
    /// <summary>A field number of zero or beyond the protobuf maximum.</summary>
    BadFieldNumber,
    /// <summary>A field has the wrong wire type, a required field is missing, or fields break a required order.</summary>
    SchemaViolation,
}
