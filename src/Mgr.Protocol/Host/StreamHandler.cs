namespace Mgr.Protocol.Host;

/// <summary>Serves one inbound stream whose protocol was negotiated. The host disposes the stream when the
/// returned task ends; <paramref name="cancellation"/> fires when the connection or host closes. An exception
/// thrown by a handler is logged and resets nothing else: other streams and connections carry on.</summary>
public delegate Task StreamHandler(ProtocolChannel stream, CancellationToken cancellation);
