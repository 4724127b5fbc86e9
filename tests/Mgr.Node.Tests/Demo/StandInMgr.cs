using Mgr.Node.Demo;

namespace Mgr.Node.Tests.Demo;

/// <summary>A stand-in <c>mgr</c> for orchestration tests: <c>node</c> is a script that fills its own store with the
/// real devnet state (<c>mgr devnet follow --once</c>), reports synced at that head over a static <c>/api/status</c>
/// (python's http.server) and prints its listen address; every other command runs the real mgr. It lets the demo's
/// process handling, polling, stopping and store verification run end to end without the swarm. With
/// <c>STAND_IN_SYNCED=false</c> in the environment the nodes never report synced.</summary>
public static class StandInMgr
{
    private const string Script = """
        #!/usr/bin/env bash
        set -euo pipefail
        if [ "${1:-}" != node ]; then exec dotnet "MGR_DLL" "$@"; fi
        shift
        role= datadir= listen= dashboard= genesis=
        while [ $# -gt 1 ]; do
          case "$1" in
            --role) role=$2 ;; --datadir) datadir=$2 ;; --listen) listen=$2 ;;
            --dashboard) dashboard=$2 ;; --genesis) genesis=$2 ;;
          esac
          shift 2
        done
        head=$(dotnet "MGR_DLL" devnet follow --once --datadir "$(dirname "$genesis")" --node-datadir "$datadir")
        number=$(sed -E 's/.*"headNumber":([0-9]+).*/\1/' <<<"$head")
        root=$(sed -E 's/.*"headStateRoot":"(0x[0-9a-f]+)".*/\1/' <<<"$head")
        if [ "$role" = seeder ]; then bytes_in=0; bytes_out=500000; else bytes_in=250000; bytes_out=1000; fi
        synced=${STAND_IN_SYNCED:-true}
        mkdir -p "$datadir/www/api"
        printf '{"role":"%s","synced":%s,"stateRoot":"%s","epochBlock":%s,"coverage":{"fraction":1},"totals":{"bytesIn":%s,"bytesOut":%s,"chunksDuplicate":1,"duplicateBytes":100},"peerCount":1}' \
          "$role" "$synced" "$root" "$number" "$bytes_in" "$bytes_out" > "$datadir/www/api/status"
        echo "$listen/p2p/16Uiu2HAmStandIn"
        exec python3 -m http.server "${dashboard##*:}" --bind 127.0.0.1 --directory "$datadir/www"
        """;

    /// <summary>The path of the real mgr.dll (next to the test assembly).</summary>
    public static string MgrDll => typeof(DemoRunner).Assembly.Location;

    /// <summary>Writes the script into <paramref name="directory"/> and returns its path.</summary>
    public static string Write(string directory)
    {
        string path = Path.Combine(directory, "stand-in-mgr.sh");
        File.WriteAllText(path, Script.Replace("MGR_DLL", MgrDll, StringComparison.Ordinal).ReplaceLineEndings("\n") + "\n");
        MakeExecutable(path);
        return path;
    }

    /// <summary>chmod 700.</summary>
    public static void MakeExecutable(string path)
    {
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }
}
