using System.Text.Json;

namespace Mgr.Node.EngineApi;

/// <summary>The methods behind a JSON-RPC endpoint, as seen by <see cref="JsonRpcDispatcher"/>.</summary>
public interface IJsonRpcTarget
{
    /// <summary>Runs <paramref name="method"/> and writes its result value to <paramref name="result"/>.
    /// <paramref name="parameters"/> is the request's <c>params</c> (an array, or undefined when absent).</summary>
    /// <returns>False when the method does not exist.</returns>
    /// <exception cref="JsonRpcException">When the parameters are refused.</exception>
    bool TryInvoke(string method, JsonElement parameters, Utf8JsonWriter result);
}
