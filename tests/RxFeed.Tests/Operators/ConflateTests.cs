using System.Diagnostics.Metrics;
using System.Reactive;
using System.Reactive.Concurrency;
using System.Reactive.Disposables;
using System.Reactive.Linq;
using System.Reactive.Subjects;
using Microsoft.Reactive.Testing;
using RxFeed.Diagnostics;
using RxFeed.Testing;

namespace RxFeed.Tests.Operators;

public sealed class ConflateTests
{
    // Only a guard against a hang when the operator is broken; every wait returns as soon as its event is set.
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(30);
    private static readonly string[] Keys = ["0", "1", "2"];

    [Fact]
    public void Conflate_NullArguments_Throw()
    {
        var source = Observable.Never<Tick>();

        FluentActions.Invoking(() => ((IObservable<Tick>)null!).Conflate(t => t.Key, ImmediateScheduler.Instance)).Should().Throw<ArgumentNullException>();
        FluentActions.Invoking(() => source.Conflate<Tick, string>(null!, ImmediateScheduler.Instance)).Should().Throw<ArgumentNullException>();
        FluentActions.Invoking(() => source.Conflate(t => t.Key, null!)).Should().Throw<ArgumentNullException>();
    }

    [Fact]
    public void Conflate_ValuesReplacedBeforeDelivery_CountedPerKeyAndInTotal()
    {
        var s = new MarbleScheduler();
        var values = new Dictionary<char, Tick>
        {
            ['a'] = new("A", 1), ['b'] = new("A", 2), ['c'] = new("A", 3), ['d'] = new("A", 4),
            ['x'] = new("B", 1), ['y'] = new("B", 2), ['e'] = new("B", 3), ['f'] = new("B", 4),
        };
        var input = s.Hot("-(abcxy)-d-(ef)-|", values);
        var counts = new ConflationCounts<string>();

        var output = s.Run(() => input.Conflate(t => t.Key, s, counts));

        s.Expect(output, "-(cy)----d-f----|", values);
        counts.Of("A").Should().Be(2, "a and b were replaced in frame 1");
        counts.Of("B").Should().Be(2, "x in frame 1 and e in frame 11 were replaced");
        counts.Of("C").Should().Be(0);
        counts.Total.Should().Be(4);
        counts.Snapshot().Should().BeEquivalentTo(new Dictionary<string, long> { ["A"] = 2, ["B"] = 2 });
    }

    [Fact]
    public void Conflate_ValueReplaced_AddsToTheConflatedInstrumentTaggedWithItsSymbol()
    {
        var seen = new List<(long Value, string? Symbol)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == RxFeedMeters.MeterName && instrument.Name == "rxfeed.conflated")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            string? symbol = null;
            foreach (KeyValuePair<string, object?> tag in tags)
            {
                symbol = tag.Key == "symbol" ? tag.Value as string : symbol;
            }

            // Other tests conflate in parallel; only this test's symbol counts.
            if (symbol == "CONFLATEMETERUSDT")
            {
                lock (seen)
                {
                    seen.Add((value, symbol));
                }
            }
        });
        listener.Start();
        var s = new MarbleScheduler();
        var input = s.Hot("-(ab)-", new Dictionary<char, Tick> { ['a'] = new("CONFLATEMETERUSDT", 1), ['b'] = new("CONFLATEMETERUSDT", 2) });

        s.Run(() => input.Conflate(t => t.Key, s));

        seen.Should().Equal((1L, "CONFLATEMETERUSDT"));
    }

    [Fact]
    public void Conflate_ConsumerKeepsUp_DeliversEveryValueWhenItArrives()
    {
        var s = new MarbleScheduler();
        var messages = Enumerable.Range(1, 1_000)
            .Select(i => new Recorded<Notification<Tick>>(s.Origin + i, Notification.CreateOnNext(new Tick(Keys[i % 3], i))))
            .ToArray();
        var input = s.CreateHotObservable(messages);
        var counts = new ConflationCounts<string>();

        var output = s.Run(() => input.Conflate(t => t.Key, s, counts));

        output.Messages.Should().Equal(messages, "each OnNext returns before the next value arrives, one tick later");
        counts.Total.Should().Be(0);
    }

    [Fact]
    public async Task Conflate_ConsumerBlockedWhileAnotherThreadPushes_SeesOnlyTheLastValueOfEachKeyAfterUnblocking()
    {
        using var loop = new EventLoopScheduler();
        using var holding = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        using var ended = new ManualResetEventSlim();
        var source = new Subject<Tick>();
        var counts = new ConflationCounts<string>();
        var received = new List<Tick>();
        using var subscription = source.Conflate(t => t.Key, loop, counts).Subscribe(
            t =>
            {
                received.Add(t);
                holding.Set();
                release.Wait();
            },
            ended.Set);

        var producer = Task.Run(() =>
        {
            source.OnNext(new Tick("0", 0));
            if (!holding.Wait(HangGuard))
            {
                throw new TimeoutException("the consumer never got the first value");
            }

            for (int i = 1; i < 10_000; i++)
            {
                source.OnNext(new Tick(Keys[i % 3], i));
            }

            source.OnCompleted();
        });
        await producer.WaitAsync(HangGuard);
        received.Should().Equal([new Tick("0", 0)], "the consumer is still inside OnNext with the first value");

        release.Set();
        ended.Wait(HangGuard).Should().BeTrue();

        var afterUnblocking = received.Skip(1).ToList();
        afterUnblocking.GroupBy(t => t.Key).Should().OnlyContain(g => g.Count() == 1, "at most one value per key waits");
        afterUnblocking.Should().Equal(
            [new Tick("1", 9_997), new Tick("2", 9_998), new Tick("0", 9_999)],
            "each key's last value, oldest waiting key first (1 and 2 waited before 0's second value)");
        received.GroupBy(t => t.Key).Should().OnlyContain(g => g.Select(t => t.Seq).Zip(g.Skip(1).Select(t => t.Seq)).All(p => p.First < p.Second));
        counts.Total.Should().Be(9_999 - 3);
        counts.Snapshot().Should().BeEquivalentTo(new Dictionary<string, long> { ["0"] = 3_332, ["1"] = 3_332, ["2"] = 3_332 });
    }

    [Fact]
    public void Conflate_DisposedWhileTheConsumerIsBusy_DeliversNothingMore()
    {
        using var loop = new EventLoopScheduler();
        using var holding = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        using var drained = new ManualResetEventSlim();
        var source = new Subject<Tick>();
        var received = new List<Tick>();
        bool ended = false;
        var subscription = source.Conflate(t => t.Key, loop).Subscribe(
            t =>
            {
                received.Add(t);
                holding.Set();
                release.Wait();
            },
            () => ended = true);
        source.OnNext(new Tick("A", 1));
        holding.Wait(HangGuard).Should().BeTrue();
        source.OnNext(new Tick("B", 1));
        source.OnNext(new Tick("A", 2));
        source.OnCompleted();

        subscription.Dispose();
        release.Set();

        // The loop runs its items in order: when this one runs, the drain that was delivering has returned.
        loop.Schedule(drained.Set);
        drained.Wait(HangGuard).Should().BeTrue();
        received.Should().Equal([new Tick("A", 1)], "B1 and A2 were waiting when the subscriber left");
        ended.Should().BeFalse();
    }

    [Fact]
    public void Conflate_DisposedWithADeliveryScheduled_CancelsIt()
    {
        var scheduler = new HeldScheduler();
        var source = new Subject<Tick>();
        var subscription = source.Conflate(t => t.Key, scheduler).Subscribe(_ => { });
        source.OnNext(new Tick("A", 1));
        source.OnNext(new Tick("A", 2));
        scheduler.Scheduled.Should().ContainSingle("a drain once scheduled takes every later value");

        subscription.Dispose();

        scheduler.Scheduled[0].IsDisposed.Should().BeTrue();
        source.HasObservers.Should().BeFalse();
    }

    [Fact]
    public void Conflate_KeySelectorReturnsNull_EndsInErrorAfterTheWaitingValuesAndUnsubscribes()
    {
        var s = new MarbleScheduler();
        var values = new Dictionary<char, Tick> { ['a'] = new("A", 1), ['n'] = new(null!, 2), ['b'] = new("A", 3) };
        var input = s.Hot("-(an)-b", values);

        var output = s.Run(() => input.Conflate(t => t.Key, s));

        s.Expect(output, "-(a#)", values, new Dictionary<string, Exception> { ["#"] = new InvalidOperationException() });
        s.ExpectSubscriptions(input.Subscriptions, "^!");
    }

    public sealed record Tick(string Key, int Seq);

    /// <summary>Keeps what is scheduled without running it, so a test sees whether it was cancelled.</summary>
    private sealed class HeldScheduler : IScheduler
    {
        public List<BooleanDisposable> Scheduled { get; } = [];

        public DateTimeOffset Now => DateTimeOffset.UnixEpoch;

        public IDisposable Schedule<TState>(TState state, Func<IScheduler, TState, IDisposable> action) => Hold();

        public IDisposable Schedule<TState>(TState state, TimeSpan dueTime, Func<IScheduler, TState, IDisposable> action) => Hold();

        public IDisposable Schedule<TState>(TState state, DateTimeOffset dueTime, Func<IScheduler, TState, IDisposable> action) => Hold();

        private BooleanDisposable Hold()
        {
            var held = new BooleanDisposable();
            Scheduled.Add(held);
            return held;
        }
    }
}
