using RxFeed.Exchange.Faults;
using RxFeed.Time;

namespace RxFeed.Exchange.Tests.Unit;

public sealed class FaultStepTests
{
    [Theory]
    [InlineData("500ms", 500)]
    [InlineData("2s", 2000)]
    [InlineData("1.5s", 1500)]
    [InlineData("1m", 60_000)]
    [InlineData("24h", 86_400_000)]
    [InlineData("2d", 172_800_000)]
    [InlineData(" 250us ", 0.25)]
    public void TryParse_Duration_GivesMilliseconds(string text, double milliseconds)
    {
        Duration.TryParse(text, out var value).Should().BeTrue();
        value.TotalMilliseconds.Should().Be(milliseconds);
    }

    [Theory]
    [InlineData("")]
    [InlineData("10")]
    [InlineData("-1s")]
    [InlineData(".5s")]
    [InlineData("5.s")]
    [InlineData("2w")]
    [InlineData("1.s")]
    [InlineData("5 s")]
    [InlineData("s")]
    public void TryParse_BadDuration_Fails(string text)
    {
        Duration.TryParse(text, out _).Should().BeFalse();
    }

    [Fact]
    public void Parse_BadWithKindAndCount_ReadsAll()
    {
        var step = FaultStep.Parse("1500ms bad inverted 5");

        step.At.Should().Be(TimeSpan.FromMilliseconds(1500));
        step.Fault.Should().Be("bad");
        step.Arguments.Should().Equal("inverted", "5");
    }

    [Theory]
    [InlineData("2s forget btcusdt@bookTicker", "forget", "btcusdt@bookTicker")]
    [InlineData("3s ignore-requests 2", "ignore-requests", "2")]
    public void Parse_SubscriptionFaults_ReadsTheArgument(string line, string fault, string argument)
    {
        var step = FaultStep.Parse(line);

        step.Fault.Should().Be(fault);
        step.Arguments.Should().Equal(argument);
    }

    [Theory]
    [InlineData("drop")]
    [InlineData("soon drop")]
    [InlineData("1s explode")]
    [InlineData("1s close")]
    [InlineData("1s close 1005")]
    [InlineData("1s close abc")]
    [InlineData("1s refuse -1")]
    [InlineData("1s bad sideways 2")]
    [InlineData("1s burst 10")]
    [InlineData("1s burst 10 forever")]
    [InlineData("1s shutdown soon")]
    [InlineData("1s shutdown -1s")]
    [InlineData("1s delay")]
    [InlineData("1s delay soon")]
    [InlineData("1s delay 5ms 0s")]
    [InlineData("1s jitter -1ms")]
    [InlineData("1s forget")]
    [InlineData("1s ignore-requests")]
    [InlineData("1s ignore-requests -2")]
    [InlineData("1s ignore-requests many")]
    public void Parse_BadStep_ThrowsFormatException(string line)
    {
        var act = () => FaultStep.Parse(line);

        act.Should().Throw<FormatException>();
    }

    [Theory]
    [InlineData("5s shutdown", 0)]
    [InlineData("5s shutdown 0s", 1)]
    [InlineData("5s shutdown 2s", 1)]
    public void Parse_Shutdown_TakesAnOptionalGrace(string line, int arguments)
    {
        var step = FaultStep.Parse(line);

        step.Fault.Should().Be("shutdown");
        step.Arguments.Should().HaveCount(arguments);
    }

    [Theory]
    [InlineData("0s delay 5ms", 1)]
    [InlineData("0s delay 5ms 30s", 2)]
    [InlineData("2s delay 0s", 1)]
    [InlineData("0s jitter 2ms", 1)]
    [InlineData("0s jitter 2ms 1m", 2)]
    public void Parse_DelayAndJitter_TakeALatencyAndAnOptionalDuration(string line, int arguments)
    {
        var step = FaultStep.Parse(line);

        step.Arguments.Should().HaveCount(arguments);
    }

    [Fact]
    public void ParseScript_CommentsAndBlankLines_AreSkippedAndStepsSorted()
    {
        var steps = FaultStep.ParseScript("# demo\n\n10s drop\n2s burst 10 5s\r\n5s shutdown\n");

        steps.Select(s => s.Fault).Should().Equal("burst", "shutdown", "drop");
    }

    [Fact]
    public void ParseScript_BadLine_NamesTheLine()
    {
        var act = () => FaultStep.ParseScript("1s drop\n2s nope\n");

        act.Should().Throw<FormatException>().WithMessage("Line 2:*");
    }
}
