using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Memory;

namespace Mgr.Node.Configuration;

/// <summary>The three layers of node settings, lowest first: the JSON config file, MGR_* environment variables, flags
/// (Microsoft.Extensions.Configuration providers; keys are case-insensitive, sections separated by ':'). Reads a key
/// from the highest layer that has it and names where a value came from, for error messages.</summary>
internal sealed class SettingsLayers
{
    /// <summary>Environment variables read: MGR_ followed by the key, "__" for ':'.</summary>
    public const string EnvironmentPrefix = "MGR_";

    private readonly IConfigurationRoot _root;
    private readonly string? _configFile;
    private readonly IReadOnlyDictionary<string, string> _flagNames;

    public SettingsLayers(IConfigurationRoot root, string? configFile, IReadOnlyDictionary<string, string> flagNames)
    {
        _root = root;
        _configFile = configFile;
        _flagNames = flagNames;
    }

    /// <summary>The value of <paramref name="key"/>, or null when no layer sets it (or sets it empty).</summary>
    public string? Scalar(string key)
    {
        string? value = _root[key];
        return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
    }

    /// <summary>A list from the highest layer that sets <paramref name="key"/> at all (layers replace lists, they do not
    /// merge them): its indexed children (<c>key:0</c>, <c>key:1</c>…), or a comma-separated scalar.</summary>
    public IReadOnlyList<string> List(string key)
    {
        for (int i = _root.Providers.Count() - 1; i >= 0; i--)
        {
            IConfigurationProvider provider = _root.Providers.ElementAt(i);
            var children = provider.GetChildKeys([], key).Distinct(StringComparer.OrdinalIgnoreCase)
                .Select(child => provider.TryGet($"{key}:{child}", out string? item) ? item : null)
                .OfType<string>().ToList();
            if (children.Count > 0) return children.Select(item => item.Trim()).Where(item => item.Length > 0).ToList();
            if (provider.TryGet(key, out string? scalar) && scalar is not null)
                return scalar.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        }
        return [];
    }

    /// <summary>Where <paramref name="key"/>'s value comes from: "--flag", "MGR_X__Y" or "config file 'path' (x:y)".</summary>
    public string Origin(string key)
    {
        for (int i = _root.Providers.Count() - 1; i >= 0; i--)
        {
            IConfigurationProvider provider = _root.Providers.ElementAt(i);
            if (!provider.TryGet(key, out _) && !provider.GetChildKeys([], key).Any()) continue;
            return provider switch
            {
                MemoryConfigurationProvider when i == _root.Providers.Count() - 1 && _flagNames.TryGetValue(key, out string? flag) => flag,
                MemoryConfigurationProvider => EnvironmentPrefix + key.Replace(":", "__", StringComparison.Ordinal).ToUpperInvariant(),
                _ => $"config file '{_configFile}' ({key})",
            };
        }
        return key;
    }

    /// <summary>An error about <paramref name="key"/> naming its origin.</summary>
    public SettingsException Error(string key, string problem, Exception? inner = null)
    {
        string message = $"{Origin(key)}: {problem}";
        return inner is null ? new SettingsException(message) : new SettingsException(message, inner);
    }
}
