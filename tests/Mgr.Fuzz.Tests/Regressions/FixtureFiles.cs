namespace Mgr.Fuzz.Tests.Regressions;

/// <summary>Inputs found by fuzzing, kept next to their regression tests (copied to the output folder).</summary>
internal static class FixtureFiles
{
    public static byte[] Read(string name) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Regressions", "Fixtures", name));
}
