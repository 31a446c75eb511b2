namespace RxFeed.Testing.Tests;

public sealed class MarbleFileSyntaxErrorTests
{
    private const string Head = "name: n\noperator: Op\n";

    public static TheoryData<string, int, int, string> Cases() => new()
    {
        { "name: n\noperator: Op\nhot in: -a\nvalues:\n  a = 1\n", 1, 1, "missing 'out:' line (what the operator must emit)" },
        { "operator: Op\nout: -\n", 1, 1, "missing 'name:' header" },
        { "name: n\nout: -\n", 1, 1, "missing 'operator:' header" },
        { Head + "out: -x\n", 3, 7, "unknown value 'x': it has no entry in values:" },
        { Head + "hot in: --(a\nout: -\nvalues:\n  a = 1\n", 3, 11, "unbalanced group: '(' is never closed" },
        { Head + "out: a5s\nvalues:\n  a = 1\n", 3, 7, "time skip '5s' must stand between spaces" },
        { Head + "out: -\nout: --\n", 4, 1, "'out:' is given twice" },
        { Head + "speed: 3\nout: -\n", 3, 1, "unknown line 'speed: 3': expected a header (name:, operator:, frame:, until:, tags:), a stream line (hot x:, cold x:, cold x[k]:, sub:, out:, subs x:), values: or errors:" },
        { Head + "name: again\nout: -\n", 3, 1, "'name:' is given twice" },
        { Head + "  a = 1\nout: -\n", 3, 1, "an indented line outside a values: or errors: block" },
        { Head + "out: -\nvalues:\n  a: 1\n", 5, 3, "expected '<key> = <JSON>' in the values: block" },
        { Head + "out: -\nvalues:\n  ab = 1\n", 5, 3, "value key 'ab' must be one letter or digit" },
        { Head + "out: -\nvalues:\n  a = 1\n  a = 2\n", 6, 3, "value 'a' is defined twice" },
        { Head + "out: -\nvalues:\n  b = a with {\"x\":1}\n", 5, 7, "'a' in 'b = a with ...' is not defined above" },
        { Head + "out: -\nvalues:\n  a = 1\n  b = a with {\"x\":1}\n", 6, 14, "'with' needs JSON objects on both sides (value 'b')" },
        { Head + "out: -\nerrors:\n  x = IOException\n", 5, 3, "error key 'x' must be '#' or '#' and digits" },
        { Head + "out: -#2\nerrors:\n  #1 = IOException\n", 3, 7, "'#2' has no entry in errors:" },
        { Head + "frame: soon\nout: -\n", 3, 8, "frame: 'soon' is not a duration (write e.g. 100ms, 5s, 1.5s, 2m)" },
        { Head + "frame: 0ms\nout: -\n", 3, 8, "frame: must be longer than zero" },
        { Head + "operator: Op(1s)\nout: -\n", 3, 1, "'operator:' is given twice" },
        { "name: n\noperator: Op(after 5s)\nout: -\n", 2, 14, "operator argument 'after 5s' must read 'name: value'" },
        { "name: n\noperator: Op(a: 1, a: 2)\nout: -\n", 2, 20, "operator argument 'a' is given twice" },
        { "name: n\noperator: 5Op\nout: -\n", 2, 11, "operator: must read 'Name' or 'Name(arg: value, ...)', not '5Op'" },
        { Head + "cold in[2]: -\nout: -\n", 3, 1, "cold 'in' lines must be numbered [1], [2], ... in order; expected [1] here" },
        { Head + "cold in[1]: -\ncold in[3]: -\nout: -\n", 4, 1, "cold 'in' lines must be numbered [1], [2], ... in order; expected [2] here" },
        { Head + "hot in: -\ncold in: -\nout: -\n", 4, 1, "source 'in' is both hot and cold" },
        { Head + "hot in[2]: -\nout: -\n", 3, 7, "only cold lines take a subscription number [k]" },
        { Head + "hot: -\nout: -\n", 3, 1, "'hot' needs a source name, e.g. 'hot in:'" },
        { Head + "out x: -\n", 3, 1, "'out:' takes no source name" },
        { Head + "out: -\nsubs in: ^\n", 4, 1, "'subs in:' names no hot or cold source" },
        { Head + "hot in: -\nout: -\nsubs in: --\n", 5, 10, "a subscription line needs '^'" },
        { Head + "hot in: -\nout: -\nsub: -!\n", 5, 7, "'!' before '^'" },
        { Head + "out: -\nvalues:\n  a = {\"x\":\n", 5, 7, "value 'a' is not valid JSON: *" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Parse_BadFile_ThrowsWithLineColumnAndReason(string text, int line, int column, string reason)
    {
        var error = FluentActions.Invoking(() => MarbleFile.Parse(text)).Should().Throw<MarbleSyntaxException>().Which;

        error.Reason.Should().Match(reason);
        (error.Line, error.Column).Should().Be((line, column));
        error.Message.Should().StartWith($"line {line}, column {column}: ");
    }
}
