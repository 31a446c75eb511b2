using System.CommandLine;
using System.Diagnostics;
using System.Reactive.Linq;
using System.Reactive.Subjects;
using RxFeed.Diagnostics;
using RxFeed.Host.Cli;
using RxFeed.Host.Output;
using RxFeed.Parsing;
using RxFeed.Replay;
using RxFeed.Time;

namespace RxFeed.Host.Verbs;

/// <summary><c>rxfeed replay FILE...</c>: recorded frames through the live pipeline, in virtual time from their timestamps.</summary>
internal static class ReplayVerb
{
    public static Command Create()
    {
        var files = new Argument<FileInfo[]>("FILE")
        {
            Description = "Recorded frames: `<receive ns> <frame>` or bare frame lines, .gz or plain UTF-8; several files are one stream.",
            Arity = ArgumentArity.OneOrMore,
        };
        files.AcceptExistingOnly();
        var json = new Option<bool>("--json") { Description = "Print one JSON summary object on stdout when done." };
        var pace = new Option<string>("--pace")
        {
            Description = "max (default): as fast as the machine allows; recorded: at recorded speed; Nx: N times recorded speed.",
            DefaultValueFactory = _ => "max",
        };
        pace.Validators.Add(result =>
        {
            if (!ReplayPace.TryParse(result.GetValueOrDefault<string>(), out _))
            {
                result.AddError($"--pace: '{result.GetValueOrDefault<string>()}' is not max, recorded or Nx");
            }
        });
        var maxFrameBytes = CliOptions.PositiveInt("--max-frame-bytes", FrameParser.DefaultMaxFrameBytes, "A frame longer than this many bytes is malformed and never parsed");
        var ticksOut = CliOptions.OutputFile("--ticks-out", "Write every delivered book ticker as NDJSON.");
        var quoting = new QuoteFlags();

        var command = new Command("replay", "Replay recorded frames through the same pipeline as `run`, in virtual time.")
        {
            files, json, pace, maxFrameBytes, ticksOut,
        };
        quoting.AddTo(command);
        command.SetAction((parse, cancel) => Task.FromResult(Run(
            parse.GetRequiredValue(files),
            parse.GetValue(json),
            ReplayPace.Parse(parse.GetValue(pace)),
            parse.GetValue(maxFrameBytes),
            parse.GetValue(ticksOut),
            new QuotingOutputs(quoting.Bind(parse), parse.GetValue(quoting.QuotesOut), parse.GetValue(quoting.OrdersOut), parse.GetValue(quoting.HealthOut)),
            cancel)));
        return command;
    }

    private static int Run(FileInfo[] files, bool json, double speed, int maxFrameBytes, FileInfo? ticksOut, QuotingOutputs quoting, CancellationToken cancel)
    {
        var scheduler = new ReplayScheduler();
        var counters = new FeedCounters();
        var frames = new Subject<string>();
        using NdjsonWriter? ticks = ticksOut is null ? null : new NdjsonWriter(ticksOut.FullName);

        // One parse of the frames feeds both the ticks output and the quoting session.
        IConnectableObservable<BookTicker> delivered = frames.ToBookTickers(counters, maxFrameBytes, scheduler).Publish();
        using IDisposable subscription = ticks is null
            ? delivered.Subscribe()
            : delivered.Subscribe(t => ticks.WriteLine(w => SummaryJson.WriteTick(w, t)));
        using QuotingRun session = QuotingRun.Start(delivered, quoting, scheduler);
        using IDisposable connection = delivered.Connect();

        long lines = 0;
        long clock = long.MinValue;
        long? firstNs = null;
        var wall = Stopwatch.StartNew();
        try
        {
            foreach (RecordedFrame frame in RecordingReader.ReadFiles(files.Select(f => f.FullName)))
            {
                if (cancel.IsCancellationRequested)
                {
                    break;
                }

                lines++;

                // Virtual time never runs backwards: a line older than the clock is replayed at the clock's time.
                long ns = frame.ReceivedNs ?? Math.Max(clock, 0);
                if (ns > clock)
                {
                    clock = ns;
                    scheduler.AdvanceTo(ns);
                    firstNs ??= ns;
                    ReplayPace.Wait(speed, ns - firstNs.Value, wall);
                }

                frames.OnNext(frame.Text);
            }
        }
        catch (InvalidDataException ex)
        {
            Console.Error.WriteLine($"rxfeed replay: {ex.Message}");
            return 1;
        }

        frames.OnCompleted();

        // Virtual time ends with the recording: the graceful stop cancels what the order manager holds at the last frame's time.
        session.Stop();
        FeedCountsSnapshot counts = counters.Snapshot();
        if (json)
        {
            SummaryJson.Write(Console.OpenStandardOutput(), lines, counts, session.WriteSummary);
        }
        else
        {
            Console.Out.WriteLine(
                $"{lines} lines: {counts.BookTickers} book tickers ({counts.Inverted} inverted), {counts.Invalid} invalid, " +
                $"{counts.Malformed} malformed, {counts.OutOfOrder} out of order, {counts.Other} other, {counts.Control} control");
            foreach ((string symbol, SymbolCounts s) in counts.Symbols)
            {
                Console.Out.WriteLine($"  {symbol}: {s.BookTickers} book tickers, last u {s.LastUpdateId}, bid sum {s.BidSum}, ask sum {s.AskSum}");
            }

            Console.Out.WriteLine(session.Describe());
        }

        return 0;
    }
}

/// <summary>Replay speed: <c>max</c>, <c>recorded</c> or <c>Nx</c>.</summary>
internal static class ReplayPace
{
    public static bool TryParse(string? text, out double speed)
    {
        speed = double.PositiveInfinity;
        switch (text)
        {
            case null or "max":
                return true;
            case "recorded":
                speed = 1;
                return true;
            default:
                return text.EndsWith('x') &&
                    double.TryParse(text.AsSpan(0, text.Length - 1), System.Globalization.NumberStyles.AllowDecimalPoint, System.Globalization.CultureInfo.InvariantCulture, out speed) &&
                    speed > 0 && !double.IsInfinity(speed);
        }
    }

    public static double Parse(string? text) => TryParse(text, out double speed) ? speed : double.PositiveInfinity;

    /// <summary>Sleeps until the wall clock has caught up with <paramref name="elapsedNs"/> of recorded time at this speed.</summary>
    public static void Wait(double speed, long elapsedNs, Stopwatch wall)
    {
        if (double.IsPositiveInfinity(speed))
        {
            return;
        }

        double dueMs = elapsedNs / 1e6 / speed;
        double aheadMs = dueMs - wall.Elapsed.TotalMilliseconds;
        if (aheadMs >= 1)
        {
            Thread.Sleep(TimeSpan.FromMilliseconds(aheadMs));
        }
    }
}
