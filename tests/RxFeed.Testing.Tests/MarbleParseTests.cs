using System.Reactive;
using Microsoft.Reactive.Testing;

namespace RxFeed.Testing.Tests;

public sealed class MarbleParseTests
{
    private static readonly Dictionary<char, string> Values = new() { ['a'] = "A", ['b'] = "B", ['c'] = "C", ['1'] = "one" };
    private static readonly long Ms = TimeSpan.TicksPerMillisecond;

    private static List<(long Ms, string What)> Timeline(string diagram, IReadOnlyDictionary<string, Exception>? errors = null, TimeSpan? frame = null) =>
        Marble.Parse(diagram, Values, errors, frame).Select(m => (m.Time / Ms, Describe(m.Value))).ToList();

    private static string Describe(Notification<string> n) => n.Kind switch
    {
        NotificationKind.OnNext => n.Value,
        NotificationKind.OnError => "#" + n.Exception!.GetType().Name,
        _ => "|",
    };

    [Fact]
    public void Parse_DashesAndValues_EachTakeOneFrame()
    {
        Timeline("-a--b|").Should().Equal((1, "A"), (4, "B"), (5, "|"));
    }

    [Fact]
    public void Parse_DigitValue_IsLookedUpLikeALetter()
    {
        Timeline("--1").Should().Equal((2, "one"));
    }

    [Fact]
    public void Parse_Spaces_AreIgnored()
    {
        Timeline("  - a -  b ").Should().Equal((1, "A"), (3, "B"));
    }

    [Fact]
    public void Parse_Group_HappensInOneFrameAndConsumesItsWidth()
    {
        Timeline("--(ab)-c|").Should().Equal((2, "A"), (2, "B"), (7, "C"), (8, "|"));
    }

    [Fact]
    public void Parse_GroupWithCompletion_CompletesInTheSameFrame()
    {
        Timeline("-(a|)").Should().Equal((1, "A"), (1, "|"));
    }

    [Theory]
    [InlineData("a 5ms b", 6)]
    [InlineData("a 2s b", 2001)]
    [InlineData("a 1.5s b", 1501)]
    [InlineData("a 1m b", 60_001)]
    public void Parse_TimeSkip_AdvancesThatMuchVirtualTime(string diagram, long bAtMs)
    {
        Timeline(diagram).Should().Equal((0, "A"), (bAtMs, "B"));
    }

    [Fact]
    public void Parse_TimeSkipAtLineEnd_IsAllowed()
    {
        Timeline("a 10ms").Should().Equal((0, "A"));
    }

    [Fact]
    public void Parse_TimeSkipAtLineStart_IsASkip()
    {
        Timeline("5ms a").Should().Equal((5, "A"));
    }

    [Fact]
    public void Parse_Frame_ScalesEveryFrame()
    {
        Marble.Parse("-a", Values, frame: TimeSpan.FromSeconds(1)).Single().Time.Should().Be(TimeSpan.TicksPerSecond);
    }

    [Fact]
    public void Parse_HotSubscriptionPoint_IsFrameZeroAndEarlierFramesAreNegative()
    {
        Timeline("a-^-b").Should().Equal((-2, "A"), (2, "B"));
    }

    [Fact]
    public void Parse_SubscriptionPointInGroup_IsTheGroupsFrame()
    {
        Timeline("-(^a)b").Should().Equal((0, "A"), (4, "B"));
    }

    [Fact]
    public void Parse_ErrorWithoutErrors_IsMarbleErrorException()
    {
        Timeline("-#").Should().Equal((1, "#MarbleErrorException"));
    }

    [Fact]
    public void Parse_BareErrorKey_DefaultsToFirstListedError()
    {
        var errors = new Dictionary<string, Exception> { ["#1"] = new TimeoutException(), ["#2"] = new IOException() };

        Timeline("-#", errors).Should().Equal((1, "#TimeoutException"));
    }

    [Fact]
    public void Parse_NumberedError_UsesItsEntryAndIsAsWideAsWritten()
    {
        var errors = new Dictionary<string, Exception> { ["#1"] = new TimeoutException(), ["#2"] = new IOException() };

        Timeline("-(a#2)", errors).Should().Equal((1, "A"), (1, "#IOException"));
    }

    [Theory]
    [InlineData("^---!", 0, 4)]
    [InlineData("--^-!", 2, 4)]
    [InlineData("--(^!)", 2, 2)]
    [InlineData("^ 1s !", 0, 1001)]
    public void ParseSubscription_CaretAndBang_AreSubscribeAndUnsubscribeFrames(string diagram, long subscribeMs, long unsubscribeMs)
    {
        Marble.ParseSubscription(diagram).Should().Be(new Subscription(subscribeMs * Ms, unsubscribeMs * Ms));
    }

    [Fact]
    public void ParseSubscription_NoBang_NeverUnsubscribes()
    {
        Marble.ParseSubscription("-^--").Should().Be(new Subscription(Ms));
    }
}
