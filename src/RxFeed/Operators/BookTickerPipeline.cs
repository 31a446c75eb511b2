using System.Reactive.Concurrency;
using System.Runtime.CompilerServices;
using RxFeed.Diagnostics;
using RxFeed.Parsing;
using RxFeed.Time;

namespace RxFeed;

/// <summary>
/// The first half of the pipeline as a plain push sink, the body of <c>FeedObservable.ToBookTickers</c>: each frame
/// is parsed, checked, flagged, gated on its update id, counted, and delivered to the observer when it is still a book
/// ticker. A recording replayer pushes frames straight from a reused buffer (<see cref="OnFrame(ReadOnlySpan{char})"/>),
/// so no frame needs a string of its own. One instance per stream of frames; not thread-safe.
/// </summary>
public sealed class BookTickerPipeline
{
    private readonly IObserver<BookTicker> _observer;
    private readonly FeedCounters _counters;
    private readonly IScheduler _clock;
    private readonly FrameParser _parser;
    private readonly OutOfOrderGate _gate = new();

    /// <summary>Initializes a new instance of the <see cref="BookTickerPipeline"/> class.</summary>
    /// <param name="observer">Receives the delivered book tickers.</param>
    /// <param name="counters">Where every frame is counted by class.</param>
    /// <param name="maxFrameBytes">The frame cap.</param>
    /// <param name="scheduler">The clock for receive times (default: <see cref="Scheduler.Default"/>).</param>
    public BookTickerPipeline(IObserver<BookTicker> observer, FeedCounters counters, int maxFrameBytes = FrameParser.DefaultMaxFrameBytes, IScheduler? scheduler = null)
    {
        ArgumentNullException.ThrowIfNull(observer);
        ArgumentNullException.ThrowIfNull(counters);
        _observer = observer;
        _counters = counters;
        _clock = scheduler ?? Scheduler.Default;
        _parser = new FrameParser(maxFrameBytes);
    }

    /// <summary>
    /// Gets the handler that sees every <see cref="FrameClass.Other"/> frame with its text, after it is counted: where depth
    /// events, snapshots and trades are read (<see cref="Parsing.MarketFrameParser"/>) without a second pass over book tickers.
    /// </summary>
    public OtherFrameHandler? OtherFrames { get; init; }

    /// <summary>Takes one frame.</summary>
    /// <param name="text">The frame text.</param>
    public void OnFrame(string? text)
    {
        FeedFrame frame = _parser.Parse(text, _clock.NowUnixNanoseconds());
        Deliver(ref frame);
        if (frame.Class == FrameClass.Other && OtherFrames is { } other)
        {
            other(in frame, text);
        }
    }

    /// <summary>Takes one frame from a buffer the caller may reuse as soon as this returns.</summary>
    /// <param name="text">The frame text.</param>
    public void OnFrame(ReadOnlySpan<char> text)
    {
        FeedFrame frame = _parser.Parse(text, _clock.NowUnixNanoseconds());
        Deliver(ref frame);
        if (frame.Class == FrameClass.Other && OtherFrames is { } other)
        {
            other(in frame, text);
        }
    }

    /// <summary>
    /// Takes one frame from its UTF-8 bytes when it is a book ticker of Binance's exact shape, read without transcoding;
    /// returns false without counting anything otherwise, and the caller passes the decoded text to
    /// <see cref="OnFrame(ReadOnlySpan{char})"/>.
    /// </summary>
    /// <param name="utf8">The frame's bytes, which the caller may reuse as soon as this returns.</param>
    /// <returns>True when the frame was taken.</returns>
    public bool TryOnBookTicker(ReadOnlySpan<byte> utf8)
    {
        if (!_parser.TryParseBookTicker(utf8, _clock.NowUnixNanoseconds(), out FeedFrame frame))
        {
            return false;
        }

        Deliver(ref frame);
        return true;
    }

    /// <summary>Parses, validates and gates one frame stamped where it was received.</summary>
    /// <param name="text">The frame.</param>
    /// <param name="receivedNs">Its receive time.</param>
    public void OnFrame(string? text, long receivedNs)
    {
        FeedFrame frame = _parser.Parse(text, receivedNs);
        Deliver(ref frame);
    }

    /// <summary>
    /// The same rules as the separate operators (<c>ValidateBookTickers</c>, <c>FlagInvertedSpreads</c>,
    /// <c>DropOutOfOrder</c>, <c>Tally</c>), applied in place so the frame is copied only when it is reclassified.
    /// </summary>
    private void Deliver(ref FeedFrame frame)
    {
        BookTickerRules.ValidateAndFlag(ref frame);
        if (frame.Class == FrameClass.BookTicker && !_gate.Admit(frame.Ticker.Symbol, frame.Ticker.UpdateId))
        {
            MarkOutOfOrder(ref frame);
        }

        _counters.Record(frame);
        if (frame.Class == FrameClass.BookTicker)
        {
            _observer.OnNext(frame.Ticker);
        }
    }

    /// <summary>Out of line: the new frame's stack space would otherwise be zeroed on every call.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void MarkOutOfOrder(ref FeedFrame frame) => frame = frame with { Class = FrameClass.OutOfOrder };
}

/// <summary>Sees one <see cref="FrameClass.Other"/> frame and its text, which is valid only during the call.</summary>
/// <param name="frame">The frame.</param>
/// <param name="text">Its text.</param>
public delegate void OtherFrameHandler(in FeedFrame frame, ReadOnlySpan<char> text);
