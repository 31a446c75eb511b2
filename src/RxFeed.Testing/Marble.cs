using System.Reactive;
using Microsoft.Reactive.Testing;

namespace RxFeed.Testing;

/// <summary>
/// Diagram text to notifications and back, without a scheduler: times are ticks from frame 0. Most tests use
/// <see cref="MarbleScheduler"/>, which calls these.
/// </summary>
public static class Marble
{
    /// <summary>The frame length when none is given: 1 ms of virtual time.</summary>
    public static readonly TimeSpan DefaultFrame = TimeSpan.FromMilliseconds(1);

    /// <summary>Parses a notification diagram (a cold source, an expected output, or a hot source when it holds <c>^</c>).</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="diagram">The diagram, e.g. <c>--a--(bc)--|</c>.</param>
    /// <param name="values">The value of each letter.</param>
    /// <param name="errors">The exception of <c>#</c>, <c>#1</c>, ...; <c>#</c> defaults to the first entry, else to a <see cref="MarbleErrorException"/>.</param>
    /// <param name="frame">The frame length; default 1 ms.</param>
    /// <returns>The notifications, ticks from frame 0 (negative before a hot line's <c>^</c>).</returns>
    /// <exception cref="MarbleSyntaxException">The diagram breaks the syntax.</exception>
    public static IList<Recorded<Notification<T>>> Parse<T>(
        string diagram, IReadOnlyDictionary<char, T>? values = null, IReadOnlyDictionary<string, Exception>? errors = null, TimeSpan? frame = null)
    {
        ArgumentNullException.ThrowIfNull(diagram);
        long frameTicks = FrameTicks(frame);
        var events = MarbleDiagram.Parse(diagram, DiagramKind.Hot, frameTicks, c => values?.ContainsKey(c) == true);
        return ToNotifications(events, values, errors, 1);
    }

    /// <summary>Parses a subscription diagram such as <c>^---!</c> (<c>!</c> optional).</summary>
    /// <param name="diagram">The diagram.</param>
    /// <param name="frame">The frame length; default 1 ms.</param>
    /// <returns>The subscription, ticks from frame 0; <see cref="Subscription.Infinite"/> when there is no <c>!</c>.</returns>
    /// <exception cref="MarbleSyntaxException">The diagram breaks the syntax or has no <c>^</c>.</exception>
    public static Subscription ParseSubscription(string diagram, TimeSpan? frame = null)
    {
        ArgumentNullException.ThrowIfNull(diagram);
        return ToSubscription(MarbleDiagram.Parse(diagram, DiagramKind.Subscription, FrameTicks(frame), _ => false), 1, 1);
    }

    /// <summary>Renders notifications as a diagram (one symbol per notification, groups for one frame, time skips for long silences).</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="messages">The notifications, ticks from frame 0.</param>
    /// <param name="values">Letters for values; a value with no letter renders as <c>?</c>.</param>
    /// <param name="errors">Keys for exception types; others render as <c>#</c>.</param>
    /// <param name="frame">The frame length; default 1 ms.</param>
    /// <returns>The diagram.</returns>
    public static string Render<T>(
        IEnumerable<Recorded<Notification<T>>> messages, IReadOnlyDictionary<char, T>? values = null, IReadOnlyDictionary<string, Exception>? errors = null, TimeSpan? frame = null)
    {
        ArgumentNullException.ThrowIfNull(messages);
        return new MarbleNotation<T>(values, errors, FrameTicks(frame)).Render(messages);
    }

    /// <summary>Renders a subscription as <c>^---!</c>.</summary>
    /// <param name="subscription">The subscription, ticks from frame 0.</param>
    /// <param name="frame">The frame length; default 1 ms.</param>
    /// <returns>The diagram.</returns>
    public static string RenderSubscription(Subscription subscription, TimeSpan? frame = null)
    {
        long frameTicks = FrameTicks(frame);
        long start = MarbleNotation<int>.FrameOf(subscription.Subscribe, frameTicks);
        string text = new string('-', (int)Math.Clamp(start, 0, 10_000)) + "^";
        if (subscription.Unsubscribe == Subscription.Infinite)
        {
            return text;
        }

        long end = MarbleNotation<int>.FrameOf(subscription.Unsubscribe, frameTicks);
        return end == start ? text[..^1] + "(^!)" : text + new string('-', (int)Math.Clamp(end - start - 1, 0, 10_000)) + "!";
    }

    /// <summary>Compares notifications; values by the type's own equality, errors by exception type, times exactly.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="expected">The expected notifications, ticks from frame 0.</param>
    /// <param name="actual">The actual notifications, ticks from frame 0.</param>
    /// <param name="values">Letters for rendering.</param>
    /// <param name="errors">Keys for rendering errors.</param>
    /// <param name="frame">The frame length; default 1 ms.</param>
    /// <exception cref="MarbleAssertionException">They differ; the message shows both lines under a frame ruler and the first differing frame.</exception>
    public static void AssertEqual<T>(
        IList<Recorded<Notification<T>>> expected,
        IList<Recorded<Notification<T>>> actual,
        IReadOnlyDictionary<char, T>? values = null,
        IReadOnlyDictionary<string, Exception>? errors = null,
        TimeSpan? frame = null)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(actual);
        var notation = new MarbleNotation<T>(values, errors, FrameTicks(frame));
        if (!MarbleNotation<T>.Equal(expected, actual))
        {
            throw new MarbleAssertionException(notation.Mismatch(expected, actual, "The output differs from its marble diagram."));
        }
    }

    internal static long FrameTicks(TimeSpan? frame)
    {
        long ticks = (frame ?? DefaultFrame).Ticks;
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(ticks, nameof(frame));
        return ticks;
    }

    internal static IList<Recorded<Notification<T>>> ToNotifications<T>(
        List<MarbleEvent> events, IReadOnlyDictionary<char, T>? values, IReadOnlyDictionary<string, Exception>? errors, int line)
    {
        var result = new List<Recorded<Notification<T>>>(events.Count);
        foreach (var e in events)
        {
            var notification = e.Kind switch
            {
                MarbleEventKind.Value => Notification.CreateOnNext(values![e.Key[0]]),
                MarbleEventKind.Completed => Notification.CreateOnCompleted<T>(),
                _ => Notification.CreateOnError<T>(ErrorFor(e, errors, line)),
            };
            result.Add(new Recorded<Notification<T>>(e.Time, notification));
        }

        return result;
    }

    internal static Subscription ToSubscription(List<MarbleEvent> events, int line, int column)
    {
        if (events.Count == 0)
        {
            throw new MarbleSyntaxException("a subscription line needs '^'", line, column);
        }

        return new Subscription(events[0].Time, events.Count > 1 ? events[1].Time : Subscription.Infinite);
    }

    private static Exception ErrorFor(MarbleEvent e, IReadOnlyDictionary<string, Exception>? errors, int line)
    {
        if (errors is null || errors.Count == 0)
        {
            return e.Key == "#" ? new MarbleErrorException() : throw new MarbleSyntaxException($"'{e.Key}' has no entry in errors:", line, e.Column);
        }

        if (errors.TryGetValue(e.Key, out var error))
        {
            return error;
        }

        return e.Key == "#" ? errors.First().Value : throw new MarbleSyntaxException($"'{e.Key}' has no entry in errors:", line, e.Column);
    }
}
