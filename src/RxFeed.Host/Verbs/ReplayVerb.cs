using System.CommandLine;
using System.Diagnostics;
using System.Reactive.Disposables;
using System.Reactive.Linq;
using System.Reactive.Subjects;
using RxFeed.Book;
using RxFeed.Diagnostics;
using RxFeed.Host.Cli;
using RxFeed.Host.Output;
using RxFeed.Output;
using RxFeed.Parsing;
using RxFeed.Replay;
using RxFeed.Time;

namespace RxFeed.Host.Verbs;

/// <summary><c>rxfeed replay FILE...</c>: recorded frames through the live pipeline, in virtual time from their timestamps.</summary>
internal static class ReplayVerb
{
    public static Command Create()
    {
        Argument<FileInfo[]> files = CliOptions.InputFiles(
            "FILE",
            "Recorded frames: `<receive ns> <frame>` or bare frame lines, .gz or plain UTF-8; several files (a directory: its files by name) are one stream, in the order given.");
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
        var bookOut = CliOptions.OutputFile("--book-out", "Write the top levels of a symbol's order book after every applied depth event as NDJSON.");
        var bookLevels = CliOptions.PositiveInt("--book-levels", 5, "Levels per side in each --book-out line");
        var tradesOut = CliOptions.OutputFile("--trades-out", "Write every delivered trade as NDJSON.");
        var quoting = new QuoteFlags();

        var command = new Command("replay", "Replay recorded frames through the same pipeline as `run`, in virtual time.")
        {
            files, json, pace, maxFrameBytes, ticksOut, bookOut, bookLevels, tradesOut,
        };
        quoting.AddTo(command);
        command.SetAction((parse, cancel) => Task.FromResult(Run(
            CliOptions.Expand(parse.GetRequiredValue(files)),
            parse.GetValue(json),
            ReplayPace.Parse(parse.GetValue(pace)),
            parse.GetValue(maxFrameBytes),
            parse.GetValue(ticksOut),
            new MarketOutputs(parse.GetValue(bookOut), parse.GetValue(bookLevels), parse.GetValue(tradesOut)),
            new QuotingOutputs(quoting.Bind(parse), parse.GetValue(quoting.QuotesOut), parse.GetValue(quoting.OrdersOut), parse.GetValue(quoting.HealthOut)),
            cancel)));
        return command;
    }

    private static int Run(FileInfo[] files, bool json, double speed, int maxFrameBytes, FileInfo? ticksOut, MarketOutputs marketOutputs, QuotingOutputs quoting, CancellationToken cancel)
    {
        var scheduler = new ReplayScheduler();
        var counters = new FeedCounters();

        // A replay loses nothing: when the disk falls behind, the replay waits for it.
        var outputs = new List<(string Flag, IDisposable Writer, Func<Exception?> Error)>();
        OutputWriter<BookTicker>? ticks = Open(outputs, "--ticks-out", ticksOut, path => OutputWriter.Open<BookTicker>(path, TickLines.Write, OutputOverflow.Wait));
        OutputWriter<BookView>? bookLines = Open(outputs, "--book-out", marketOutputs.BookOut, path => OutputWriter.Ndjson<BookView>(path, SummaryJson.WriteBookLine, OutputOverflow.Wait));
        OutputWriter<Trade>? tradeLines = Open(outputs, "--trades-out", marketOutputs.TradesOut, path => OutputWriter.Ndjson<Trade>(path, SummaryJson.WriteTrade, OutputOverflow.Wait));
        QuotingRun? session = null;
        try
        {
            int levels = marketOutputs.Levels;
            var market = new MarketDataBooks(
                DepthSyncRule.Spot,
                bookLines is null ? null : (book, ts) => bookLines.OnNext(book.View(levels, ts)),
                tradeLines is null ? null : tradeLines.OnNext);
            var marketParser = new MarketFrameParser();

            // One pass of the frames feeds both the ticks output and the quoting session. The frames go into the pipeline
            // straight from the reader's reused buffer: a string per frame would cost more than parsing it.
            var delivered = new Subject<BookTicker>();
            var pipeline = new BookTickerPipeline(delivered, counters, maxFrameBytes, scheduler)
            {
                OtherFrames = (in FeedFrame frame, ReadOnlySpan<char> text) => market.OnFrame(marketParser.Parse(text, frame.ReceivedNs), marketParser, frame.ReceivedNs),
            };
            using IDisposable subscription = ticks is null
                ? Disposable.Empty
                : delivered.Subscribe(ticks);
            session = QuotingRun.Start(delivered, quoting, scheduler);

            // The bar only on a terminal, never in --json or redirected output, and only once a replay has run a while.
            ReplayProgress? progress = json || Console.IsErrorRedirected ? null : new ReplayProgress(Console.Error, files.Sum(f => f.Length), files.Length, Stopwatch.GetTimestamp());
            long lines = 0;
            long clock = long.MinValue;
            long filesDone = 0;
            var pacer = new ReplayPace(speed);
            string? failed;
            try
            {
                for (int f = 0; f < files.Length; f++)
                {
                    using RecordingCursor cursor = RecordingCursor.OpenFile(files[f].FullName);
                    while (!cancel.IsCancellationRequested && cursor.MoveNext())
                    {
                        lines++;

                        // Virtual time never runs backwards: a line older than the clock is replayed at the clock's time.
                        long? receivedNs = cursor.ReceivedNs;
                        long ns = receivedNs ?? Math.Max(clock, 0);
                        if (ns > clock)
                        {
                            clock = ns;
                            scheduler.Advance(ns);
                        }

                        if (receivedNs is long recorded)
                        {
                            pacer.Wait(recorded, cancel);
                        }

                        // Book tickers of Binance's exact shape straight from the bytes; anything else decoded first.
                        if (!pipeline.TryOnBookTicker(cursor.Bytes))
                        {
                            pipeline.OnFrame(cursor.Text);
                        }

                        // Now and then, not per frame: a failed output ends the replay, the bar moves.
                        if ((lines & 0xFFFF) == 0)
                        {
                            if (FirstFailure(outputs, session) is not null)
                            {
                                break;
                            }

                            progress?.Update(lines, filesDone + cursor.Position, f + 1, Stopwatch.GetTimestamp());
                        }
                    }

                    filesDone += files[f].Length;
                }
            }
            catch (InvalidDataException ex)
            {
                progress?.Finish();
                Console.Error.WriteLine($"rxfeed replay: {ex.Message}");
                return 1;
            }

            progress?.Finish();
            delivered.OnCompleted();
            market.Complete();

            // Virtual time ends with the recording: the graceful stop cancels what the order manager holds at the last frame's
            // time. Every file is flushed and closed before the summary, so a file that could not be written is reported
            // instead of a summary that suggests it was.
            failed = Close(outputs, session);
            if (failed is not null)
            {
                Console.Error.WriteLine($"rxfeed replay: {failed}");
                return 1;
            }

            FeedCountsSnapshot counts = counters.Snapshot();
            if (json)
            {
                SummaryJson.Write(Console.OpenStandardOutput(), lines, counts, session.WriteSummary, market);
            }
            else
            {
                Console.Out.WriteLine(
                    $"{lines} lines: {counts.BookTickers} book tickers ({counts.Inverted} inverted), {counts.Invalid} invalid, " +
                    $"{counts.Malformed} malformed, {counts.OutOfOrder} out of order, {counts.Other - market.Frames} other, {counts.Control} control, " +
                    $"{market.Depth} depth, {market.Trades} trades, {market.Snapshots} snapshots");
                foreach ((string symbol, SymbolCounts s) in counts.Symbols)
                {
                    Console.Out.WriteLine($"  {symbol}: {s.BookTickers} book tickers, last u {s.LastUpdateId}, bid sum {s.BidSum}, ask sum {s.AskSum}");
                }

                foreach ((string symbol, OrderBook book) in market.Books)
                {
                    BookCounts c = book.Counts;
                    Console.Out.WriteLine($"  {symbol} book: {c.Events} events, {c.Applied} applied, {c.Dropped} dropped, {c.Gaps} gaps, {c.Resyncs} resyncs, {c.Crossed} crossed, synced {book.IsSynced}");
                }

                Console.Out.WriteLine(session.Describe());
            }

            return 0;
        }
        finally
        {
            // On the way out after an error: close what is still open; a second failure adds nothing to the line already printed.
            try
            {
                Close(outputs, session);
            }
            catch (Exception ex) when (ex is IOException or ObjectDisposedException)
            {
            }
        }
    }

    private static OutputWriter<T>? Open<T>(List<(string Flag, IDisposable Writer, Func<Exception?> Error)> outputs, string flag, FileInfo? file, Func<string, OutputWriter<T>> open)
    {
        if (file is null)
        {
            return null;
        }

        OutputWriter<T> writer = open(file.FullName);
        outputs.Add((flag, writer, () => writer.Error));
        return writer;
    }

    private static string? FirstFailure(List<(string Flag, IDisposable Writer, Func<Exception?> Error)> outputs, QuotingRun? session)
    {
        foreach ((string flag, _, Func<Exception?> error) in outputs)
        {
            if (error() is { } e)
            {
                return $"{flag}: {e.Message}";
            }
        }

        return session?.OutputFailure is { } failure ? $"{failure.Flag}: {failure.Error.Message}" : null;
    }

    /// <summary>Stops the quoting session and closes every output; returns the first that could not be written, as one line.</summary>
    private static string? Close(List<(string Flag, IDisposable Writer, Func<Exception?> Error)> outputs, QuotingRun? session)
    {
        try
        {
            session?.Stop();
        }
        catch (IOException)
        {
            // Reported below from the writer that failed, with its flag.
        }

        foreach ((_, IDisposable writer, _) in outputs)
        {
            try
            {
                writer.Dispose();
            }
            catch (IOException)
            {
            }
        }

        return FirstFailure(outputs, session);
    }
}

/// <summary>The order book and trade outputs of <c>replay</c>.</summary>
internal sealed record MarketOutputs(FileInfo? BookOut, int Levels, FileInfo? TradesOut);

/// <summary>Replay speed: <c>max</c>, <c>recorded</c> or <c>Nx</c>; paces by the timestamped lines only.</summary>
internal sealed class ReplayPace(double speed)
{
    private readonly Stopwatch _wall = new();
    private long _firstNs;

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

    /// <summary>
    /// Waits until the wall clock has caught up with this line's recorded time at the chosen speed. The first
    /// timestamped line sets the origin (bare lines have no time of their own); waits are sliced so that a long
    /// recorded gap never overflows a sleep and Ctrl+C is honoured within a second.
    /// </summary>
    public void Wait(long recordedNs, CancellationToken cancel)
    {
        if (double.IsPositiveInfinity(speed))
        {
            return;
        }

        if (!_wall.IsRunning)
        {
            _firstNs = recordedNs;
            _wall.Start();
            return;
        }

        double dueMs = (recordedNs - _firstNs) / 1e6 / speed;
        for (double aheadMs = dueMs - _wall.Elapsed.TotalMilliseconds; aheadMs >= 1 && !cancel.IsCancellationRequested; aheadMs = dueMs - _wall.Elapsed.TotalMilliseconds)
        {
            cancel.WaitHandle.WaitOne(TimeSpan.FromMilliseconds(Math.Min(aheadMs, 1000)));
        }
    }
}
