using System.Reactive.Concurrency;
using System.Reactive.Disposables;
using System.Reactive.Subjects;
using Microsoft.Reactive.Testing;
using RxFeed.Connection;
using RxFeed.Time;

namespace RxFeed.Tests.Operators;

/// <summary><see cref="FeedObservable.StampReceived"/>: the stamp is the scheduler's clock where the frame arrives, and never decreases.</summary>
public sealed class StampReceivedTests
{
    private const long T0 = 1_723_161_254_024_619_568;

    [Fact]
    public void StampReceived_ReplayScheduler_StampsAreTheVirtualClockToTheNanosecond()
    {
        var scheduler = new ReplayScheduler(T0);
        using var frames = new Subject<string>();
        var seen = new List<ReceivedFrame>();
        using IDisposable sub = frames.StampReceived(scheduler).Subscribe(seen.Add);

        frames.OnNext("a");
        scheduler.AdvanceTo(T0 + 1);
        frames.OnNext("b");
        frames.OnNext("c");
        scheduler.AdvanceTo(T0 + 2_500_000_017);
        frames.OnNext("d");

        seen.Should().Equal(new ReceivedFrame("a", T0), new ReceivedFrame("b", T0 + 1), new ReceivedFrame("c", T0 + 1), new ReceivedFrame("d", T0 + 2_500_000_017));
    }

    [Fact]
    public void StampReceived_TestScheduler_StampsAreItsNowInUnixNanoseconds()
    {
        var scheduler = new TestScheduler();
        long epoch = DateTimeOffset.UnixEpoch.UtcTicks;
        scheduler.AdvanceTo(epoch + 1_000);
        var seen = new List<ReceivedFrame>();
        using var frames = new Subject<string>();
        using IDisposable sub = frames.StampReceived(scheduler).Subscribe(seen.Add);

        frames.OnNext("a");
        scheduler.AdvanceTo(epoch + 1_007);
        frames.OnNext("b");

        seen.Select(f => f.ReceivedNs).Should().Equal(100_000, 100_700);
    }

    [Fact]
    public void StampReceived_NanosecondClockGoesBackwards_StampsNeverDecrease()
    {
        var clock = new SettableClock { UnixNanoseconds = 1_000 };
        using var frames = new Subject<string>();
        var seen = new List<long>();
        using IDisposable sub = frames.StampReceived(clock).Subscribe(f => seen.Add(f.ReceivedNs));

        foreach (long now in new long[] { 1_000, 900, 950, 1_000, 1_001, 500, 2_000 })
        {
            clock.UnixNanoseconds = now;
            frames.OnNext("x");
        }

        seen.Should().Equal(1_000, 1_000, 1_000, 1_000, 1_001, 1_001, 2_000);
    }

    [Fact]
    public void StampReceived_SchedulerNowGoesBackwards_StampsNeverDecrease()
    {
        var start = new DateTimeOffset(2024, 8, 9, 0, 0, 0, TimeSpan.Zero);
        var clock = new SettableNow { Now = start };
        using var frames = new Subject<string>();
        var seen = new List<long>();
        using IDisposable sub = frames.StampReceived(clock).Subscribe(f => seen.Add(f.ReceivedNs));

        foreach (int ms in new[] { 10, 5, 12, -100, 12, 13 })
        {
            clock.Now = start.AddMilliseconds(ms);
            frames.OnNext("x");
        }

        long ns0 = (start.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100;
        seen.Select(ns => (ns - ns0) / 1_000_000).Should().Equal(10, 10, 12, 12, 12, 13);
    }

    [Fact]
    public void StampReceived_NewSubscription_StartsFromTheClockNotThePreviousSubscriptionsStamp()
    {
        var clock = new SettableClock { UnixNanoseconds = 5_000 };
        using var frames = new Subject<string>();
        IObservable<ReceivedFrame> stamped = frames.StampReceived(clock);
        var first = new List<long>();
        using (stamped.Subscribe(f => first.Add(f.ReceivedNs)))
        {
            frames.OnNext("a");
        }

        clock.UnixNanoseconds = 4_000;
        var second = new List<long>();
        using IDisposable sub = stamped.Subscribe(f => second.Add(f.ReceivedNs));
        frames.OnNext("b");

        (first.Single(), second.Single()).Should().Be((5_000L, 4_000L));
    }

    [Fact]
    public void StampReceived_ErrorAndCompletion_PassThrough()
    {
        var clock = new SettableClock();
        using var frames = new Subject<string>();
        Exception? error = null;
        using IDisposable sub = frames.StampReceived(clock).Subscribe(_ => { }, e => error = e);
        var boom = new InvalidOperationException("boom");

        frames.OnError(boom);

        error.Should().BeSameAs(boom);
    }

    /// <summary>A scheduler whose nanosecond clock the test sets, backwards too.</summary>
    private sealed class SettableClock : IScheduler, INanosecondClock
    {
        public long UnixNanoseconds { get; set; }

        public DateTimeOffset Now => DateTimeOffset.UnixEpoch.AddTicks(UnixNanoseconds / 100);

        public IDisposable Schedule<TState>(TState state, Func<IScheduler, TState, IDisposable> action) => throw new NotSupportedException();

        public IDisposable Schedule<TState>(TState state, TimeSpan dueTime, Func<IScheduler, TState, IDisposable> action) => throw new NotSupportedException();

        public IDisposable Schedule<TState>(TState state, DateTimeOffset dueTime, Func<IScheduler, TState, IDisposable> action) => throw new NotSupportedException();
    }

    /// <summary>A plain scheduler (no nanosecond clock) whose <see cref="Now"/> the test sets, backwards too.</summary>
    private sealed class SettableNow : IScheduler
    {
        public DateTimeOffset Now { get; set; }

        public IDisposable Schedule<TState>(TState state, Func<IScheduler, TState, IDisposable> action) => Disposable.Empty;

        public IDisposable Schedule<TState>(TState state, TimeSpan dueTime, Func<IScheduler, TState, IDisposable> action) => Disposable.Empty;

        public IDisposable Schedule<TState>(TState state, DateTimeOffset dueTime, Func<IScheduler, TState, IDisposable> action) => Disposable.Empty;
    }
}
