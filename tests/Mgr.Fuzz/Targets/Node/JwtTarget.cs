using System.Text;
using Mgr.Fuzz.Engine;
using Mgr.Node.EngineApi;

namespace Mgr.Fuzz.Targets.Node;

/// <summary>JwtValidator.ValidateAuthorization on arbitrary header text (the Engine API's first check). Verdicts are
/// values (<see cref="JwtError"/>): any exception is a crash. Oracle: only the untouched seed tokens may pass. Budget:
/// 16 KiB + 16 B per input byte (base64 and JSON decoding of the token parts).</summary>
internal sealed class JwtTarget : FuzzTarget
{
    private static readonly string[] TokenTexts = [".", "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9", "eyJhbGciOiJub25lIn0", "eyJpYXQiOjB9", "Bearer "];
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);
    private readonly JwtSecret _secret = JwtSecret.FromBytes(Enumerable.Range(0, 32).Select(i => (byte)i).ToArray());
    private readonly JwtValidator _validator;

    public JwtTarget() => _validator = new JwtValidator(_secret, new FixedTime(Now));

    public override string Name => "jwt";

    public override InputFormat Format => InputFormat.Text;

    public override AllocationBudget Budget => new(16 * 1024, 16);

    public override IEnumerable<byte[]> Seeds()
    {
        var issuer = new JwtIssuer(_secret, new FixedTime(Now));
        return [.. new[] { issuer.IssueAt(Now), issuer.IssueAt(Now.AddSeconds(-59)), issuer.IssueAt(Now.AddSeconds(61)) }.Select(token => Encoding.UTF8.GetBytes("Bearer " + token))];
    }

    public override IEnumerable<byte[]> Tokens() => [.. TokenTexts.Select(Encoding.UTF8.GetBytes)];

    public override string Execute(byte[] input) => _validator.ValidateAuthorization(Encoding.UTF8.GetString(input)).ToString();

    public override string? Classify(Exception error) => null;

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
