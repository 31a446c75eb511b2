using System.Reactive;
using System.Reactive.Disposables;
using Microsoft.Reactive.Testing;

namespace RxFeed.Testing;

/// <summary>
/// A <see cref="TestScheduler"/> that speaks marbles: build hot and cold sources from diagrams, run the operator under
/// test from frame 0, and assert its output and its subscriptions against diagrams.
/// </summary>
/// <remarks>
/// Two differences from a plain <see cref="TestScheduler"/> make diagrams exact: work scheduled for "now" runs in the
/// current frame (a plain one moves it one tick later), and <c>Now</c> reads 1970-01-01T00:00Z at frame 0,
/// so an operator that stamps times (nanoseconds since the Unix epoch) stamps the offset from frame 0.
/// </remarks>
public class MarbleScheduler : TestScheduler
{
    /// <summary>How long <see cref="Run{T}"/> runs without <c>until</c> before it decides the operator never goes idle, in frames.</summary>
    public const int IdleLimitFrames = 10_000;

    /// <summary>Initializes a new instance of the <see cref="MarbleScheduler"/> class.</summary>
    /// <param name="frame">The virtual time one frame stands for; default 1 ms.</param>
    public MarbleScheduler(TimeSpan? frame = null)
    {
        FrameTicks = Marble.FrameTicks(frame);

        // Frame 0 sits well after the clock's start so that hot frames left of '^' have room.
        Origin = FrameTicks * 1000;
    }

    /// <summary>Gets the virtual time one frame stands for.</summary>
    public TimeSpan Frame => TimeSpan.FromTicks(FrameTicks);

    /// <summary>Gets the absolute clock value (ticks) of frame 0, when <see cref="Run{T}"/> subscribes.</summary>
    public long Origin { get; }

    private long FrameTicks { get; }

    /// <summary>Creates a hot source; <c>^</c> marks frame 0 (default: the first column).</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="diagram">The diagram, e.g. <c>--a-^-b--|</c>.</param>
    /// <param name="values">The value of each letter.</param>
    /// <param name="errors">The exception of each error key.</param>
    /// <returns>The source; its <see cref="ITestableObservable{T}.Subscriptions"/> are absolute ticks.</returns>
    public ITestableObservable<T> Hot<T>(string diagram, IReadOnlyDictionary<char, T>? values = null, IReadOnlyDictionary<string, Exception>? errors = null)
    {
        var messages = Marble.Parse(diagram, values, errors, Frame);
        return CreateHotObservable(messages.Select(m => new Recorded<Notification<T>>(Origin + m.Time, m.Value)).ToArray());
    }

    /// <summary>Creates a cold source: every subscription sees the diagram from its own frame 0.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="diagram">The diagram, e.g. <c>--a--|</c>.</param>
    /// <param name="values">The value of each letter.</param>
    /// <param name="errors">The exception of each error key.</param>
    /// <returns>The source.</returns>
    public ITestableObservable<T> Cold<T>(string diagram, IReadOnlyDictionary<char, T>? values = null, IReadOnlyDictionary<string, Exception>? errors = null) =>
        Cold(new[] { diagram }, values, errors);

    /// <summary>Creates a cold source whose k-th subscription sees the k-th diagram (<c>cold x[k]:</c>); later ones see the last.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="perSubscription">One diagram per subscription, in order.</param>
    /// <param name="values">The value of each letter.</param>
    /// <param name="errors">The exception of each error key.</param>
    /// <returns>The source; <see cref="ITestableObservable{T}.Subscriptions"/> lists every subscription in order.</returns>
    public ITestableObservable<T> Cold<T>(IReadOnlyList<string> perSubscription, IReadOnlyDictionary<char, T>? values = null, IReadOnlyDictionary<string, Exception>? errors = null)
    {
        ArgumentNullException.ThrowIfNull(perSubscription);
        if (perSubscription.Count == 0)
        {
            throw new ArgumentException("give at least one diagram", nameof(perSubscription));
        }

        var lines = perSubscription
            .Select(d =>
            {
                var events = MarbleDiagram.Parse(d, DiagramKind.Notifications, FrameTicks, c => values?.ContainsKey(c) == true);
                return Marble.ToNotifications(events, values, errors, 1);
            })
            .ToList();
        return new MarbleColdObservable<T>(this, lines);
    }

    /// <summary>
    /// Subscribes to what <paramref name="create"/> returns at frame 0 (or where <paramref name="subscription"/> puts
    /// <c>^</c>), disposes at its <c>!</c>, and runs the scheduler until idle or for <paramref name="until"/>.
    /// </summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="create">Builds the operator under test; called when the test subscribes.</param>
    /// <param name="subscription">When the test subscribes and unsubscribes, e.g. <c>^-----!</c>; default <c>^</c>.</param>
    /// <param name="until">Run this long after frame 0 instead of until idle.</param>
    /// <returns>The recorded output, absolute ticks.</returns>
    /// <exception cref="MarbleAssertionException">Without <paramref name="until"/>, the scheduler still had work after <see cref="IdleLimitFrames"/> frames.</exception>
    public ITestableObserver<T> Run<T>(Func<IObservable<T>> create, string subscription = "^", TimeSpan? until = null)
    {
        ArgumentNullException.ThrowIfNull(create);
        var sub = Marble.ParseSubscription(subscription, Frame);
        long start = Origin + sub.Subscribe;
        long end = sub.Unsubscribe == Subscription.Infinite ? long.MaxValue : Origin + sub.Unsubscribe;
        if (Clock >= start)
        {
            throw new InvalidOperationException("Run must be called once, before the scheduler reaches frame 0.");
        }

        var recorder = CreateObserver<T>();
        var subscriptionHandle = new SingleAssignmentDisposable();
        var gate = new DisposeFirstObserver<T>(recorder, this, end, subscriptionHandle);

        // Reach the subscription frame without running its work, so the operator is there before anything of that frame happens.
        AdvanceTo(start - 1);
        Clock = start;
        subscriptionHandle.Disposable = create().Subscribe(gate);
        if (end != long.MaxValue)
        {
            ScheduleAbsolute(default(object), end, (_, _) =>
            {
                subscriptionHandle.Dispose();
                return Disposable.Empty;
            });
        }

        long limit = until is TimeSpan u ? Origin + u.Ticks : Origin + (IdleLimitFrames * FrameTicks);
        AdvanceTo(Math.Max(limit, Clock));
        if (until is null && GetNext() is not null)
        {
            throw new MarbleAssertionException(
                $"The scheduler still had work after {IdleLimitFrames} frames; the operator never goes idle. Give the run an end (until:).");
        }

        return recorder;
    }

    /// <summary>
    /// Stands for work that takes <paramref name="duration"/> inside the work running now, e.g. a consumer busy in
    /// <c>OnNext</c>: the clock moves on and everything that falls due meanwhile, up to and including the instant the
    /// work ends, runs before this returns, as producers on other threads would have run. <c>Sleep</c>
    /// instead holds those producers back until the work is over, which no other thread would do.
    /// </summary>
    /// <param name="duration">How long the work takes; not negative.</param>
    public void RunWhileBusy(TimeSpan duration)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(duration, TimeSpan.Zero);
        long end = Clock + duration.Ticks;
        while (GetNext() is { } next && next.DueTime <= end)
        {
            Clock = Math.Max(Clock, next.DueTime);
            next.Invoke();
        }

        Clock = end;
    }

    /// <summary>Asserts the output against a diagram.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="output">What <see cref="Run{T}"/> recorded.</param>
    /// <param name="diagram">The expected diagram.</param>
    /// <param name="values">The value of each letter.</param>
    /// <param name="errors">The exception type of each error key.</param>
    /// <exception cref="MarbleAssertionException">The output differs; the message shows both lines under a frame ruler.</exception>
    public void Expect<T>(ITestableObserver<T> output, string diagram, IReadOnlyDictionary<char, T>? values = null, IReadOnlyDictionary<string, Exception>? errors = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        var events = MarbleDiagram.Parse(diagram, DiagramKind.Notifications, FrameTicks, c => values?.ContainsKey(c) == true);
        var expected = Marble.ToNotifications(events, values, errors, 1);
        Marble.AssertEqual(expected, Relative(output.Messages), values, errors, Frame);
    }

    /// <summary>Asserts when the operator subscribed to and unsubscribed from a source: one diagram per subscription, in order.</summary>
    /// <param name="actual">The source's <see cref="ITestableObservable{T}.Subscriptions"/>.</param>
    /// <param name="diagrams">One diagram per subscription, e.g. <c>^---!</c>, <c>-----^--</c>.</param>
    /// <exception cref="MarbleAssertionException">They differ.</exception>
    public void ExpectSubscriptions(IList<Subscription> actual, params string[] diagrams)
    {
        ArgumentNullException.ThrowIfNull(actual);
        ArgumentNullException.ThrowIfNull(diagrams);
        var expected = diagrams.Select(d => Marble.ParseSubscription(d, Frame)).ToList();
        var relative = actual.Select(s => new Subscription(
            s.Subscribe - Origin,
            s.Unsubscribe == Subscription.Infinite ? Subscription.Infinite : s.Unsubscribe - Origin)).ToList();
        if (!expected.SequenceEqual(relative))
        {
            string Lines(IEnumerable<Subscription> subs, string label) =>
                string.Join(Environment.NewLine, subs.Select((s, i) => $"{label}[{i + 1}]  {Marble.RenderSubscription(s, Frame)}"));
            throw new MarbleAssertionException(
                "The subscriptions differ from their marble diagrams." + Environment.NewLine +
                Lines(expected, "expected subs") + Environment.NewLine + Lines(relative, "actual subs  "));
        }
    }

    /// <summary>Shifts recorded notifications from absolute ticks to ticks from frame 0.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="messages">The recorded notifications.</param>
    /// <returns>The same notifications, ticks from frame 0.</returns>
    public IList<Recorded<Notification<T>>> Relative<T>(IEnumerable<Recorded<Notification<T>>> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        return messages.Select(m => new Recorded<Notification<T>>(m.Time - Origin, m.Value)).ToList();
    }

    /// <inheritdoc/>
    public override IDisposable ScheduleAbsolute<TState>(TState state, long dueTime, Func<System.Reactive.Concurrency.IScheduler, TState, IDisposable> action)
    {
        // TestScheduler moves work due now (or earlier) to Clock + 1; in a diagram "now" is this frame.
        long due = Math.Max(dueTime, Clock);
        long clock = Clock;
        Clock = long.MinValue;
        try
        {
            return base.ScheduleAbsolute(state, due, action);
        }
        finally
        {
            Clock = clock;
        }
    }

    /// <inheritdoc/>
    protected override DateTimeOffset ToDateTimeOffset(long absolute) => DateTimeOffset.UnixEpoch.AddTicks(absolute - Origin);
}
