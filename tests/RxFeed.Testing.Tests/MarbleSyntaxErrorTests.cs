namespace RxFeed.Testing.Tests;

public sealed class MarbleSyntaxErrorTests
{
    private static readonly Dictionary<char, int> Values = new() { ['a'] = 1, ['b'] = 2 };

    private static MarbleSyntaxException DiagramError(string diagram) =>
        FluentActions.Invoking(() => Marble.Parse(diagram, Values)).Should().Throw<MarbleSyntaxException>().Which;

    [Theory]
    [InlineData("--x", 3, "unknown value 'x': it has no entry in values:")]
    [InlineData("(ab", 1, "unbalanced group: '(' is never closed")]
    [InlineData("-ab)", 4, "unbalanced group: ')' without '('")]
    [InlineData("(a(b))", 3, "nested group: '(' inside a group opened at column 1")]
    [InlineData("-()", 3, "empty group '()'")]
    [InlineData("(a-b)", 3, "'-' inside a group")]
    [InlineData("a5ms b", 2, "time skip '5ms' must stand between spaces")]
    [InlineData("a 5msb", 3, "time skip '5ms' must stand between spaces")]
    [InlineData("(a 5ms b)", 4, "time skip '5ms' inside a group")]
    [InlineData("^-^", 3, "a second '^' (a hot line has one subscription point)")]
    [InlineData("a-!", 3, "'!' is only allowed on sub: and subs lines")]
    [InlineData("a|b", 3, "'b' after the stream already ended ('|' or '#')")]
    [InlineData("a#|", 3, "'|' after the stream already ended ('|' or '#')")]
    [InlineData("a*", 2, "unexpected character '*'")]
    public void Parse_BadDiagram_ThrowsWithColumnAndReason(string diagram, int column, string reason)
    {
        var error = DiagramError(diagram);

        error.Line.Should().Be(1);
        error.Column.Should().Be(column);
        error.Reason.Should().Be(reason);
        error.Message.Should().Be($"line 1, column {column}: {reason}");
    }

    [Fact]
    public void Parse_NumberedErrorWithoutEntry_Throws()
    {
        var errors = new Dictionary<string, Exception> { ["#1"] = new TimeoutException() };

        FluentActions.Invoking(() => Marble.Parse("-#2", Values, errors)).Should().Throw<MarbleSyntaxException>()
            .WithMessage("line 1, column 2: '#2' has no entry in errors:");
    }

    [Theory]
    [InlineData("^-a", 3, "value 'a' on a subscription line (only '-', '^', '!', groups and time skips)")]
    [InlineData("^-|", 3, "'|' is not allowed on a subscription line (only '-', '^', '!', groups and time skips)")]
    [InlineData("-!", 2, "'!' before '^'")]
    [InlineData("^-!-!", 5, "a second '!' on a subscription line")]
    [InlineData("^^", 2, "a second '^' on a subscription line (write one line per subscription)")]
    [InlineData("---", 1, "a subscription line needs '^'")]
    public void ParseSubscription_BadDiagram_ThrowsWithColumnAndReason(string diagram, int column, string reason)
    {
        FluentActions.Invoking(() => Marble.ParseSubscription(diagram)).Should().Throw<MarbleSyntaxException>()
            .Which.Should().Match<MarbleSyntaxException>(e => e.Column == column && e.Reason == reason);
    }

    [Fact]
    public void Expect_CaretOnOutputLine_Throws()
    {
        var scheduler = new MarbleScheduler();
        var output = scheduler.Run(() => System.Reactive.Linq.Observable.Never<int>(), until: TimeSpan.FromMilliseconds(5));

        FluentActions.Invoking(() => scheduler.Expect(output, "-^-", Values)).Should().Throw<MarbleSyntaxException>()
            .WithMessage("line 1, column 2: '^' is only allowed on hot and subscription lines");
    }
}
