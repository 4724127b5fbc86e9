namespace Mgr.Protocol.Messages;

/// <summary>A per-thread 32-byte scratch array for building short byte strings handed to <c>RlpWriter</c>,
/// whose span parameters are not <c>scoped</c> and so reject stack buffers.</summary>
internal static class ScratchBytes
{
    [ThreadStatic] private static byte[]? _buffer;

    /// <summary>The calling thread's 32-byte scratch array; valid until the thread's next call.</summary>
    public static byte[] Get() => _buffer ??= new byte[32];
}
