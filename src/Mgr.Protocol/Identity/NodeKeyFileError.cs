namespace Mgr.Protocol.Identity;

/// <summary>Why a node key file could not be used.</summary>
public enum NodeKeyFileError
{
    /// <summary>The file's bytes are not a libp2p <c>PrivateKey</c> protobuf holding a usable key.</summary>
    Malformed,
    /// <summary>The file is larger than any key file this node writes.</summary>
    TooLarge,
    /// <summary>Reading or writing the file failed at the file-system level.</summary>
    Io,
}
