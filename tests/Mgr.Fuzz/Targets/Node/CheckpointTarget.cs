using System.Text;
using Mgr.Fuzz.Engine;
using Mgr.Node.Chain;

namespace Mgr.Fuzz.Targets.Node;

/// <summary>CheckpointFormat.ParseJson (weak-subjectivity checkpoints fetched from a checkpoint source) and
/// ParseArgument on the same text. Documented failure: <see cref="CheckpointException"/>. Budget: 32 KiB + 32 B per
/// input byte.</summary>
internal sealed class CheckpointTarget : FuzzTarget
{
    public override string Name => "checkpoint-json";

    public override InputFormat Format => InputFormat.Json;

    public override AllocationBudget Budget => new(32 * 1024, 32);

    public override IEnumerable<byte[]> Seeds() =>
    [
        Encoding.UTF8.GetBytes($$"""{"number":"0x3e8","hash":"0x{{new string('a', 64)}}"}"""),
        Encoding.UTF8.GetBytes($$"""{"number":1000,"hash":"0x{{new string('b', 64)}}","header":"0xc0"}"""),
        Encoding.UTF8.GetBytes($"1000:0x{new string('c', 64)}"),
    ];

    public override string Execute(byte[] input)
    {
        string verdict;
        try
        {
            _ = CheckpointFormat.ParseArgument(Encoding.UTF8.GetString(input));
            verdict = "argument";
        }
        catch (CheckpointException)
        {
            verdict = "no-argument";
        }
        _ = CheckpointFormat.ParseJson(input);
        return verdict + "+json";
    }

    public override string? Classify(Exception error) => error is CheckpointException ? "checkpoint" : null;
}
