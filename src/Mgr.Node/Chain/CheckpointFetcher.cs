using System.Net.Http.Headers;

namespace Mgr.Node.Chain;

/// <summary>Gets the latest finalized header from a trusted node's checkpoint endpoint
/// (<see cref="CheckpointRoute"/>), as <c>--checkpoint-url</c> asks.</summary>
/// <remarks>The body is bounded (<see cref="CheckpointFormat.MaxDocumentBytes"/>) and the header, which the
/// server must include, is checked against the hash and number it claims.</remarks>
public static class CheckpointFetcher
{
    /// <summary>How long the whole fetch may take.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(15);

    /// <summary>Fetches and checks the checkpoint at <paramref name="url"/>.</summary>
    /// <exception cref="CheckpointException">When the server is unreachable, answers with an error, or sends a bad document.</exception>
    public static async Task<WeakSubjectivityCheckpoint> FetchAsync(Uri url, CancellationToken cancellation, HttpMessageHandler? handler = null)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (url.Scheme is not ("http" or "https")) throw new CheckpointException($"checkpoint URL '{url}' must be http or https");
        using var client = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);
        client.Timeout = DefaultTimeout;
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        try
        {
            using HttpResponseMessage response = await client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellation).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
                throw new CheckpointException($"checkpoint URL '{url}' answered HTTP {(int)response.StatusCode}");
            if (response.Content.Headers.ContentLength > CheckpointFormat.MaxDocumentBytes)
                throw new CheckpointException($"checkpoint URL '{url}' sent more than {CheckpointFormat.MaxDocumentBytes} bytes");
            await using Stream body = await response.Content.ReadAsStreamAsync(cancellation).ConfigureAwait(false);
            var buffer = new byte[CheckpointFormat.MaxDocumentBytes + 1];
            int length = 0, read;
            while (length < buffer.Length && (read = await body.ReadAsync(buffer.AsMemory(length), cancellation).ConfigureAwait(false)) > 0)
                length += read;
            if (length > CheckpointFormat.MaxDocumentBytes)
                throw new CheckpointException($"checkpoint URL '{url}' sent more than {CheckpointFormat.MaxDocumentBytes} bytes");
            WeakSubjectivityCheckpoint checkpoint = CheckpointFormat.ParseJson(buffer.AsSpan(0, length));
            if (checkpoint.HeaderRlp.IsEmpty) throw new CheckpointException($"checkpoint URL '{url}' sent no header");
            return checkpoint;
        }
        catch (CheckpointException e)
        {
            throw new CheckpointException(e.Message.StartsWith("checkpoint URL", StringComparison.Ordinal) ? e.Message : $"checkpoint URL '{url}': {e.Message}", e);
        }
        catch (HttpRequestException e)
        {
            throw new CheckpointException($"checkpoint URL '{url}' is unreachable: {e.Message}", e);
        }
        catch (TaskCanceledException e) when (!cancellation.IsCancellationRequested)
        {
            throw new CheckpointException($"checkpoint URL '{url}' did not answer within {DefaultTimeout.TotalSeconds:0} s", e);
        }
    }
}
