namespace Mgr.Node.Chain;

/// <summary>Resolves the node's checkpoint options (<c>--checkpoint</c>, <c>--checkpoint-file</c>,
/// <c>--checkpoint-url</c>; at most one) into a <see cref="WeakSubjectivityCheckpoint"/>.</summary>
public static class CheckpointSource
{
    /// <summary>The checkpoint the options name, or null when none was given.</summary>
    /// <exception cref="CheckpointException">When several are given, or the one given is bad.</exception>
    public static async Task<WeakSubjectivityCheckpoint?> ResolveAsync(string? argument, string? file, string? url, CancellationToken cancellation)
    {
        int given = (argument is null ? 0 : 1) + (file is null ? 0 : 1) + (url is null ? 0 : 1);
        if (given > 1) throw new CheckpointException("give at most one of --checkpoint, --checkpoint-file and --checkpoint-url");
        if (argument is not null) return CheckpointFormat.ParseArgument(argument);
        if (file is not null) return CheckpointFormat.LoadFile(file);
        if (url is null) return null;
        if (!Uri.TryCreate(url, UriKind.Absolute, out Uri? parsed)) throw new CheckpointException($"checkpoint URL '{url}' is not an absolute URL");
        return await CheckpointFetcher.FetchAsync(parsed, cancellation).ConfigureAwait(false);
    }
}
