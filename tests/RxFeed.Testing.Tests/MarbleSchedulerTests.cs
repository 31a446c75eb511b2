using System.Reactive.Concurrency;
using System.Reactive.Linq;

namespace RxFeed.Testing.Tests;

public sealed class MarbleSchedulerTests
{
    private static readonly Dictionary<char, int> Values = new() { ['a'] = 1, ['b'] = 2, ['c'] = 3, ['x'] = 10, ['y'] = 20, ['z'] = 30 };

    [Fact]
    public void Run_HotSourceThroughOperator_MatchesExpectedDiagram()
    {
        var s = new MarbleScheduler();
        var input = s.Hot("-a-^-b--c-|", Values);

        var output = s.Run(() => input.Select(v => v * 10));

        s.Expect(output, "--y--z-|", Values);
        s.ExpectSubscriptions(input.Subscriptions, "^------!");
    }

    [Fact]
    public void Run_HotValueInTheSubscriptionFrame_IsReceived()
    {
        var s = new MarbleScheduler();
        var input = s.Hot("-(^a)-b", Values);

        s.Expect(s.Run(() => input), "a----b", Values);
    }

    [Fact]
    public void Expect_WrongOutput_ThrowsWithBothLines()
    {
        var s = new MarbleScheduler();
        var input = s.Hot("-a-b-|", Values);
        var output = s.Run(() => input);

        FluentActions.Invoking(() => s.Expect(output, "-a-c-|", Values)).Should().Throw<MarbleAssertionException>()
            .WithMessage("*expected out:  -a-c-|*actual out:    -a-b-|*first difference at frame 3*expected: OnNext(3)*actual:   OnNext(2)*");
    }

    [Fact]
    public void Cold_PerSubscriptionDiagrams_KthSubscriptionSeesKthLine()
    {
        var s = new MarbleScheduler();
        var input = s.Cold(["-a#", "-b#", "-c|"], Values);

        var output = s.Run(() => input.Retry());

        s.Expect(output, "-a-b-c|", Values);
        s.ExpectSubscriptions(input.Subscriptions, "^-!", "--^-!", "----^-!");
    }

    [Fact]
    public void Cold_MoreSubscriptionsThanLines_LaterOnesSeeTheLastLine()
    {
        var s = new MarbleScheduler();
        var input = s.Cold(["a#", "b#"], Values);

        var output = s.Run(() => input.Retry(4));

        s.Expect(output, "abbb#", Values);
    }

    [Fact]
    public void ExpectSubscriptions_Wrong_ThrowsWithBothLists()
    {
        var s = new MarbleScheduler();
        var input = s.Cold("--a|", Values);
        s.Run(() => input);

        FluentActions.Invoking(() => s.ExpectSubscriptions(input.Subscriptions, "^--!", "-^"))
            .Should().Throw<MarbleAssertionException>()
            .WithMessage("*expected subs[1]  ^--!*expected subs[2]  -^*actual subs  [1]  ^--!*");
    }

    [Fact]
    public void Run_SubscriptionDiagram_DisposesAtBangAndDropsThatFramesNotifications()
    {
        var s = new MarbleScheduler();
        var input = s.Hot("-a-b-c-|", Values);

        var output = s.Run(() => input, "^--!");

        s.Expect(output, "-a", Values);
        s.ExpectSubscriptions(input.Subscriptions, "^--!");
    }

    [Fact]
    public void Run_LateSubscription_StartsAtCaret()
    {
        var s = new MarbleScheduler();
        var input = s.Hot("-a-b-c-|", Values);

        var output = s.Run(() => input, "--^");

        s.Expect(output, "---b-c-|", Values);
        s.ExpectSubscriptions(input.Subscriptions, "--^----!");
    }

    [Fact]
    public void Now_AtFrameZero_IsUnixEpoch()
    {
        var s = new MarbleScheduler(TimeSpan.FromSeconds(1));
        DateTimeOffset seen = default;
        var input = s.Hot("--a|", Values);

        s.Run(() => input.Do(_ => seen = s.Now));

        seen.Should().Be(DateTimeOffset.UnixEpoch.AddSeconds(2));
    }

    [Fact]
    public void Run_WorkScheduledForNow_StaysInTheCurrentFrame()
    {
        var s = new MarbleScheduler();
        var input = s.Hot("-a|", Values);

        var output = s.Run(() => input.ObserveOn(s));

        s.Relative(output.Messages).Select(m => m.Time).Should().Equal(TimeSpan.TicksPerMillisecond, 2 * TimeSpan.TicksPerMillisecond);
    }

    [Fact]
    public void Run_NeverIdle_FailsAtTheIdleLimit()
    {
        var s = new MarbleScheduler();

        FluentActions.Invoking(() => s.Run(() => Observable.Interval(TimeSpan.FromMilliseconds(1), s)))
            .Should().Throw<MarbleAssertionException>().WithMessage("*10000 frames*until:*");
    }

    [Fact]
    public void Run_Until_StopsThereWithoutFailing()
    {
        var s = new MarbleScheduler(TimeSpan.FromSeconds(1));

        var output = s.Run(() => Observable.Interval(TimeSpan.FromSeconds(2), s).Select(i => (int)i + 1), until: TimeSpan.FromSeconds(6));

        s.Expect(output, "--a-b-c", Values);
    }

    [Fact]
    public void Run_CalledTwice_Throws()
    {
        var s = new MarbleScheduler();
        s.Run(() => Observable.Empty<int>());

        FluentActions.Invoking(() => s.Run(() => Observable.Empty<int>())).Should().Throw<InvalidOperationException>();
    }

    [Fact]
    public void Run_TimeSkipInExpectation_MatchesTimer()
    {
        var s = new MarbleScheduler();

        var output = s.Run(() => Observable.Timer(TimeSpan.FromSeconds(5), s).Select(_ => 1));

        s.Expect(output, " 5s (a|)", Values);
    }

    [Fact]
    public void Schedule_ZeroDelayFromTheScheduler_IsInTheSameTick()
    {
        var s = new MarbleScheduler();
        long at = -1;
        s.Schedule(TimeSpan.Zero, () => at = s.Clock);

        s.Start();

        at.Should().Be(0);
    }

    [Fact]
    public void RunWhileBusy_InsideAnItem_RunsWhatFallsDueUpToItsEndBeforeReturning()
    {
        var s = new MarbleScheduler();
        var input = s.Hot("-a-bc-z", Values);
        var seen = new List<(int Value, long Frame, bool WhileBusy)>();
        bool busy = false;
        long Frame() => (s.Clock - s.Origin) / TimeSpan.TicksPerMillisecond;

        s.Run(() => input.Do(v =>
        {
            seen.Add((v, Frame(), busy));
            if (v == 1)
            {
                busy = true;
                s.RunWhileBusy(TimeSpan.FromMilliseconds(3));
                busy = false;
                seen.Add((0, Frame(), busy));
            }
        }));

        seen.Should().Equal(
            new (int, long, bool)[] { (1, 1, false), (2, 3, true), (3, 4, true), (0, 4, false), (30, 6, false) },
            "b and c fall due inside the 3 frames from frame 1, c at their last instant; z after");
    }
}
