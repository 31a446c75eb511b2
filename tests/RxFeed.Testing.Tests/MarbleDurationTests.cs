using RxFeed.Time;

namespace RxFeed.Testing.Tests;

public sealed class MarbleDurationTests
{
    [Theory]
    [InlineData("100ms", 1_000_000)]
    [InlineData("0.5ms", 5_000)]
    [InlineData("1.5s", 15_000_000)]
    [InlineData("2m", 1_200_000_000)]
    [InlineData("0.0001ms", 1)]
    public void Parse_MarbleUnits_GivesTicks(string text, long ticks)
    {
        MarbleDuration.Parse(text).Ticks.Should().Be(ticks);
        Duration.TryParse(text, out TimeSpan shared).Should().BeTrue("diagrams use a subset of the shared syntax");
        shared.Ticks.Should().Be(ticks);
    }

    [Theory]
    [InlineData("0.00001ms")] // finer than a tick: refused, where Duration.TryParse would round it to 0
    [InlineData("1h")]
    [InlineData("5us")]
    [InlineData("5.s")]
    [InlineData(".5s")]
    [InlineData("5")]
    [InlineData("5 s")]
    public void Parse_NotADiagramDuration_ThrowsFormatException(string text)
    {
        var act = () => MarbleDuration.Parse(text);

        act.Should().Throw<FormatException>().WithMessage($"'{text}' is not a duration*");
    }

    [Theory]
    [InlineData("-10ms-a", 1, 4, 100_000)]
    [InlineData("a 1.5s b", 2, 4, 15_000_000)]
    [InlineData("5ms", 0, 3, 50_000)]
    public void Match_InsideADiagram_TakesOnlyTheDuration(string diagram, int start, int length, long ticks)
    {
        MarbleDuration.Match(diagram, start, out int matched, out TimeSpan value).Should().BeTrue();

        matched.Should().Be(length);
        value.Ticks.Should().Be(ticks);
    }

    [Theory]
    [InlineData(60_000)]
    [InlineData(1_500)]
    [InlineData(0.25)]
    [InlineData(3_600_000)]
    public void Format_AnyDuration_ParsesBack(double milliseconds)
    {
        var value = TimeSpan.FromMilliseconds(milliseconds);

        MarbleDuration.Parse(MarbleDuration.Format(value)).Should().Be(value);
    }
}
