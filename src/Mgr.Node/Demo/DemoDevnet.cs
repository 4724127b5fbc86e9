using Mgr.Node.Devnet;

namespace Mgr.Node.Demo;

/// <summary>The demo's devnet directory under the work directory, named by <see cref="DemoSettings.DevnetKey"/>:
/// generated once (into a <c>.partial</c> directory, then renamed, so an interrupted generation is never reused) and
/// reused by later runs with the same parameters. Each run's producer extends it further.</summary>
public static class DemoDevnet
{
    /// <summary>Returns the ready devnet directory for <paramref name="settings"/>, generating it when needed;
    /// <paramref name="generated"/> says which happened.</summary>
    /// <exception cref="DemoException">When an existing directory holds a devnet with other parameters.</exception>
    public static DevnetDirectory Prepare(DemoSettings settings, out bool generated)
    {
        ArgumentNullException.ThrowIfNull(settings);
        string root = Path.Combine(settings.WorkDirectory, settings.DevnetKey);
        var directory = new DevnetDirectory(root);
        DevnetParameters wanted = settings.Devnet;
        if (File.Exists(directory.ParametersPath) && File.Exists(directory.ChainLogPath) && Directory.Exists(directory.StorePath))
        {
            DevnetParameters found = DevnetParameters.Load(directory.ParametersPath);
            if (found.Accounts != wanted.Accounts || found.Contracts != wanted.Contracts || found.MaxSlots != wanted.MaxSlots
                || found.Seed != wanted.Seed || found.EpochLength != wanted.EpochLength)
                throw new DemoException($"{root} holds a devnet with other parameters; remove it or choose another --workdir.");
            generated = false;
            return directory;
        }
        string partial = root + ".partial";
        if (Directory.Exists(partial)) Directory.Delete(partial, recursive: true);
        if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
        DevnetGeneration.Run(new DevnetDirectory(partial), wanted, settings.InitialBlocks);
        Directory.Move(partial, root);
        generated = true;
        return directory;
    }
}
