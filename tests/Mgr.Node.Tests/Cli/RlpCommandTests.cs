using System.CommandLine;
using System.Text.Json;
using Mgr.Node.Cli;

namespace Mgr.Node.Tests.Cli;

public class RlpCommandTests
{
    [Fact]
    public void Prints_a_nested_list_as_indented_json_and_exits_0()
    {
        (int exit, string stdout, string stderr) = Invoke("rlp", "0xc98363617483646f67c0");

        Assert.Equal(0, exit);
        Assert.Equal("[\n  \"0x636174\",\n  \"0x646f67\",\n  []\n]\n", stdout);
        Assert.Equal("", stderr);
    }

    [Fact]
    public void Output_is_valid_json_that_mirrors_the_structure()
    {
        (int exit, string stdout, _) = Invoke("rlp", "c7c0c1c0c3c0c1c0");

        using JsonDocument json = JsonDocument.Parse(stdout);
        Assert.Equal(0, exit);
        Assert.Equal("[[],[[]],[[],[[]]]]", JsonSerializer.Serialize(json.RootElement));
    }

    [Theory]
    [InlineData("80", "\"0x\"\n")]
    [InlineData("0x05", "\"0x05\"\n")]
    [InlineData("0X8180", "\"0x80\"\n")]
    [InlineData(" c0 ", "[]\n")]
    public void Prints_a_single_string_or_empty_list_on_one_line(string hex, string expected)
    {
        (int exit, string stdout, _) = Invoke("rlp", hex);

        Assert.Equal(0, exit);
        Assert.Equal(expected, stdout);
    }

    [Fact]
    public void Ascii_option_adds_a_text_hint_after_the_separator()
    {
        (int exit, string stdout, _) = Invoke("rlp", "--ascii", "c98363617483646f67c0");

        Assert.Equal(0, exit);
        Assert.Equal("[\n  \"0x636174\",  // \"cat\"\n  \"0x646f67\",  // \"dog\"\n  []\n]\n", stdout);
    }

    [Theory]
    [InlineData("8100", "mgr rlp: invalid RLP: NonCanonicalSingleByte at byte 0")]
    [InlineData("c88363617483646f", "mgr rlp: invalid RLP: Truncated at byte 0")]
    [InlineData("c3808100", "mgr rlp: invalid RLP: NonCanonicalSingleByte at byte 2")]
    [InlineData("8080", "mgr rlp: invalid RLP: TrailingBytes at byte 1")]
    [InlineData("", "mgr rlp: invalid RLP: UnexpectedEnd at byte 0")]
    [InlineData("b800", "mgr rlp: invalid RLP: NonCanonicalLength at byte 0")]
    [InlineData("0x123", "mgr rlp: invalid hex: odd number of hex digits (3)")]
    [InlineData("c0zz", "mgr rlp: invalid hex: 'z' is not a hex digit (digit 2)")]
    public void Bad_input_exits_2_with_one_line_reason_and_no_output(string hex, string reason)
    {
        (int exit, string stdout, string stderr) = Invoke("rlp", hex);

        Assert.Equal(2, exit);
        Assert.Equal("", stdout);
        Assert.Equal(reason + "\n", stderr);
    }

    [Fact]
    public void Is_registered_in_the_command_catalog()
    {
        Assert.Contains(CommandCatalog.All(), command => command.Name == "rlp");
    }

    private static (int Exit, string Stdout, string Stderr) Invoke(params string[] args)
    {
        var root = new RootCommand("test");
        root.Subcommands.Add(RlpCommand.Create());
        var stdout = new StringWriter { NewLine = "\n" };
        var stderr = new StringWriter { NewLine = "\n" };

        int exit = root.Parse(args).Invoke(new InvocationConfiguration { Output = stdout, Error = stderr });

        return (exit, stdout.ToString(), stderr.ToString());
    }
}
