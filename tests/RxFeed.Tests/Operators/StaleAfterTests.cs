using System.Reactive.Concurrency;
using System.Reactive.Linq;
using Microsoft.Reactive.Testing;
using RxFeed.Resilience;
using RxFeed.Testing;

namespace RxFeed.Tests.Operators;

public sealed class StaleAfterTests
{
    private static readonly Dictionary<char, int> Values = new() { ['a'] = 1, ['b'] = 2, ['c'] = 3 };
    private static readonly Dictionary<string, Exception> Stale = new() { ["#"] = new StaleFeedException() };
    private static readonly TimeSpan Five = TimeSpan.FromSeconds(5);

    [Fact]
    public void StaleAfter_NullSource_Throws()
    {
        FluentActions.Invoking(() => ((IObservable<int>)null!).StaleAfter(Five)).Should().Throw<ArgumentNullException>();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void StaleAfter_BoundNotPositive_Throws(int seconds)
    {
        FluentActions.Invoking(() => Observable.Never<int>().StaleAfter(TimeSpan.FromSeconds(seconds))).Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void StaleAfter_NoElementSinceSubscription_ErrorCarriesBoundAndNoLastElement()
    {
        var s = new MarbleScheduler(TimeSpan.FromSeconds(1));
        var input = s.Hot<int>("--------");

        var output = s.Run(() => input.StaleAfter(Five, s));

        s.Expect(output, "-----#", Values, Stale);
        var error = output.Messages.Single().Value.Exception.Should().BeOfType<StaleFeedException>().Subject;
        error.Bound.Should().Be(Five);
        error.LastElementAt.Should().BeNull();
        error.SilentSince.Should().Be(DateTimeOffset.UnixEpoch);
    }

    [Fact]
    public void StaleAfter_SilentAfterAnElement_ErrorCarriesTheLastElementsTime()
    {
        var s = new MarbleScheduler(TimeSpan.FromSeconds(1));
        var input = s.Hot("--a------", Values);

        var output = s.Run(() => input.StaleAfter(Five, s));

        s.Expect(output, "--a----#", Values, Stale);
        var error = (StaleFeedException)output.Messages[^1].Value.Exception!;
        error.LastElementAt.Should().Be(DateTimeOffset.UnixEpoch.AddSeconds(2));
        error.SilentSince.Should().Be(DateTimeOffset.UnixEpoch.AddSeconds(2));
        error.Message.Should().Contain("00:00:05");
    }

    [Fact]
    public void StaleAfter_ColdElementExactlyAtTheBound_KeepsTheFeedAlive()
    {
        // A cold source schedules its elements after the operator armed its timer, so the timer is first in the frame.
        var s = new MarbleScheduler(TimeSpan.FromSeconds(1));
        var input = s.Cold("-----a----b|", Values);

        var output = s.Run(() => input.StaleAfter(Five, s));

        s.Expect(output, "-----a----b|", Values);
    }

    [Fact]
    public void StaleAfter_ManyElements_ErrorIsOneBoundAfterTheLast()
    {
        var s = new MarbleScheduler(TimeSpan.FromSeconds(1));
        var input = s.Hot("abcabcabc", Values);

        var output = s.Run(() => input.StaleAfter(Five, s));

        s.Expect(output, "abcabcabc----#", Values, Stale);
    }

    [Fact]
    public void StaleAfter_Disposed_EmitsNothingAndUnsubscribes()
    {
        var s = new MarbleScheduler(TimeSpan.FromSeconds(1));
        var input = s.Hot("-a-------", Values);

        var output = s.Run(() => input.StaleAfter(Five, s), "^--!");

        s.Expect(output, "-a", Values);
        s.ExpectSubscriptions(input.Subscriptions, "^--!");
    }

    [Fact]
    public void StaleAfter_SourceError_PassesThroughAndStopsTheTimer()
    {
        var s = new MarbleScheduler(TimeSpan.FromSeconds(1));
        var input = s.Hot("-a-#", Values, new Dictionary<string, Exception> { ["#"] = new IOException() });

        var output = s.Run(() => input.StaleAfter(Five, s));

        output.Messages.Should().HaveCount(2);
        output.Messages[1].Value.Exception.Should().BeOfType<IOException>();
    }

    [Fact]
    public void StaleAfter_TwoSubscriptions_EachHasItsOwnClock()
    {
        var s = new MarbleScheduler(TimeSpan.FromSeconds(1));
        var input = s.Hot("---a--------", Values);
        var stale = input.StaleAfter(Five, s);
        ITestableObserver<int> late = s.CreateObserver<int>();
        s.ScheduleAbsolute(s.Origin + TimeSpan.TicksPerSecond * 2, () => stale.Subscribe(late));

        var early = s.Run(() => stale);

        s.Expect(early, "---a----#", Values, Stale);
        s.Relative(late.Messages).Select(m => m.Time / TimeSpan.TicksPerSecond).Should().Equal(3, 8);
    }
}
