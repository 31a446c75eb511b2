using System.Reactive;
using Microsoft.Reactive.Testing;

namespace RxFeed.Testing.Tests;

public sealed class MarbleRenderTests
{
    private static readonly Dictionary<char, int> Values = new() { ['a'] = 1, ['b'] = 2, ['c'] = 3 };
    private static readonly Dictionary<string, Exception> Errors = new() { ["#1"] = new TimeoutException(), ["#2"] = new IOException() };

    [Theory]
    [InlineData("")]
    [InlineData("-a--b--|")]
    [InlineData("a")]
    [InlineData("--(ab)--c|")]
    [InlineData("-(a|)")]
    [InlineData("-a-#1")]
    [InlineData("-a(b#2)")]
    [InlineData("a 100ms b")]
    [InlineData("a 2s |")]
    public void Render_ParsedDiagram_RoundTripsToTheSameText(string diagram)
    {
        var parsed = Marble.Parse(diagram, Values, Errors);

        string rendered = Marble.Render(parsed, Values, Errors);

        rendered.Should().Be(diagram);
        Marble.Parse(rendered, Values, Errors).Should().Equal(parsed, (x, y) => x.Time == y.Time && x.Value.Kind == y.Value.Kind);
    }

    [Fact]
    public void Render_ValueWithoutLetter_ShowsQuestionMark()
    {
        var messages = new[] { new Recorded<Notification<int>>(TimeSpan.TicksPerMillisecond, Notification.CreateOnNext(42)) };

        Marble.Render(messages, Values).Should().Be("-?");
    }

    [Fact]
    public void Render_UnlistedErrorType_ShowsBareHash()
    {
        var messages = new[] { new Recorded<Notification<int>>(0, Notification.CreateOnError<int>(new InvalidOperationException())) };

        Marble.Render(messages, Values, Errors).Should().Be("#");
    }

    [Fact]
    public void Render_LongSilence_BecomesATimeSkip()
    {
        var messages = new[] { new Recorded<Notification<int>>(30 * TimeSpan.TicksPerSecond, Notification.CreateOnCompleted<int>()) };

        Marble.Render(messages, frame: TimeSpan.FromSeconds(1)).Should().Be(" 30s |");
    }

    [Theory]
    [InlineData("^---!")]
    [InlineData("--^")]
    [InlineData("--(^!)")]
    public void RenderSubscription_ParsedSubscription_RoundTrips(string diagram)
    {
        Marble.RenderSubscription(Marble.ParseSubscription(diagram)).Should().Be(diagram);
    }

    [Fact]
    public void AssertEqual_Mismatch_ShowsRulerLinesAndFirstDifference()
    {
        var expected = Marble.Parse("-a--b--|", Values);
        var actual = Marble.Parse("-a--c---|", Values);

        var error = FluentActions.Invoking(() => Marble.AssertEqual(expected, actual, Values)).Should().Throw<MarbleAssertionException>().Which;

        error.Message.Split(Environment.NewLine).Should().StartWith(
        [
            "The output differs from its marble diagram.",
            "frame:         0    5",
            "expected out:  -a--b--|",
            "actual out:    -a--c---|",
            "first difference at frame 4 (4ms after frame 0):",
            "  expected: OnNext(2)",
            "  actual:   OnNext(3)",
        ]);
    }

    [Fact]
    public void AssertEqual_GroupAgainstSingle_KeepsFramesInTheSameColumns()
    {
        var expected = Marble.Parse("-(ab)-c", Values);
        var actual = Marble.Parse("-a----c", Values);

        var error = FluentActions.Invoking(() => Marble.AssertEqual(expected, actual, Values)).Should().Throw<MarbleAssertionException>().Which;

        error.Message.Should().Contain("expected out:  -(ab)----c").And.Contain("actual out:    -a   ----c")
            .And.Contain("  expected: OnNext(1)" + Environment.NewLine + "            OnNext(2)");
    }

    [Fact]
    public void AssertEqual_ErrorsOfTheSameType_AreEqual()
    {
        var expected = Marble.Parse("-#1", Values, Errors);
        var actual = new[] { new Recorded<Notification<int>>(TimeSpan.TicksPerMillisecond, Notification.CreateOnError<int>(new TimeoutException("other message"))) };

        FluentActions.Invoking(() => Marble.AssertEqual(expected, actual, Values, Errors)).Should().NotThrow();
    }

    [Fact]
    public void AssertEqual_ErrorOfAnotherType_Differs()
    {
        var expected = Marble.Parse("-#1", Values, Errors);
        var actual = Marble.Parse("-#2", Values, Errors);

        FluentActions.Invoking(() => Marble.AssertEqual(expected, actual, Values, Errors)).Should().Throw<MarbleAssertionException>()
            .WithMessage("*expected: OnError(TimeoutException)*actual:   OnError(IOException: *");
    }
}
