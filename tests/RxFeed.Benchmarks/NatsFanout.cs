using System.Diagnostics;
using System.Globalization;
using System.Reactive.Linq;
using System.Reactive.Subjects;
using NATS.Client.Core;
using RxFeed.Health;
using RxFeed.Nats;

namespace RxFeed.Benchmarks;

/// <summary>
/// One publisher, many consumer processes (issue 14's fan-out target). The same <see cref="NatsPublisher"/> sends N book
/// tickers over a running nats-server to C consumer processes, twice per round: once to bare NATS.Net subscribers that
/// only count the messages (the baseline), once to <see cref="NatsFeed"/> consumers that parse, check and deliver them.
/// Each consumer reports its own window (first to last tick received) and whether every tick arrived in order; the
/// report gives per-consumer rates and the ratio RxFeed / bare of their medians, measured in one run.
/// Run: <c>dotnet run -c Release --project tests/RxFeed.Benchmarks -- nats URL [ticks] [consumers] [rounds]</c>.
/// </summary>
internal static class NatsFanout
{
    private static readonly string[] Symbols = ["ADAUSDT", "BTCUSDT", "ETHUSDT", "BNBUSDT"];

    public static async Task<int> RunAsync(string[] args)
    {
        var url = new Uri(args[0]);
        int ticks = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 100_000;
        int consumers = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 8;
        int rounds = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 2;
        Console.WriteLine($"fan-out: {ticks} ticks over {Symbols.Length} symbols, {consumers} consumer processes, {rounds} rounds, {Environment.ProcessorCount} cores");
        Console.WriteLine("round kind    consumers complete  in-order  median ticks/s   min ticks/s   publisher sent/s");
        var medians = new Dictionary<string, List<double>> { ["bare"] = [], ["rxfeed"] = [] };
        bool allComplete = true;
        for (int round = 1; round <= rounds; round++)
        {
            foreach (string kind in new[] { "bare", "rxfeed" })
            {
                Result r = await MeasureAsync(url, kind, $"bench{round}{kind}", ticks, consumers);
                allComplete &= r.Complete == consumers && r.InOrder == consumers;
                medians[kind].Add(r.Median);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{round,5} {kind,-7} {consumers,9} {r.Complete,8} {r.InOrder,9} {r.Median,15:N0} {r.Min,13:N0} {r.PublisherRate,18:N0}"));
            }
        }

        double bare = medians["bare"].Average(), rxfeed = medians["rxfeed"].Average();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"rxfeed / bare per consumer (mean of the rounds' medians): {rxfeed / bare:F2}  (target >= 0.5; every tick delivered in order: {allComplete})"));
        return allComplete ? 0 : 1;
    }

    /// <summary>A consumer process: counts (bare) or consumes through NatsFeed (rxfeed) until it has every tick.</summary>
    public static async Task<int> ConsumeAsync(string[] args)
    {
        (string kind, var url, string prefix, int ticks) = (args[0], new Uri(args[1]), args[2], int.Parse(args[3], CultureInfo.InvariantCulture));
        long received = 0, firstTicks = 0, lastTicks = 0;
        bool inOrder = true, ready = false;
        var last = new Dictionary<string, long>(StringComparer.Ordinal);
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        void OnTick(string symbol, long u)
        {
            if (symbol == "WARMUP")
            {
                if (!ready)
                {
                    ready = true;
                    Console.WriteLine("ready");
                }

                return;
            }

            long now = Stopwatch.GetTimestamp();
            firstTicks = received == 0 ? now : firstTicks;
            lastTicks = now;
            inOrder &= !last.TryGetValue(symbol, out long previous) || u > previous;
            last[symbol] = u;
            if (++received == ticks)
            {
                done.TrySetResult();
            }
        }

        if (kind == "bare")
        {
            await using var nats = new NatsConnection(new NatsOpts { Url = url.ToString(), SubPendingChannelCapacity = 1 << 20 });
            await nats.ConnectAsync();
            _ = Task.Run(async () =>
            {
                await foreach (NatsMsg<byte[]> msg in nats.SubscribeAsync<byte[]>(prefix + ".bookTicker.>"))
                {
                    // Counting only: the symbol from the subject, no body parse (u order is not judged for the baseline).
                    OnTick(msg.Subject[(prefix.Length + ".bookTicker.".Length)..], received + 1);
                }
            });
            await Finish();
        }
        else
        {
            await using NatsFeed feed = NatsFeed.Create(new NatsFeedOptions { Url = url, Prefix = prefix });
            using IDisposable sub = feed.BookTickers.Subscribe(t => OnTick(t.Symbol, t.UpdateId));
            await Finish();
            inOrder &= feed.ClientDrops == 0;
        }

        double seconds = Stopwatch.GetElapsedTime(firstTicks, lastTicks).TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"done {received} {(inOrder ? 1 : 0)} {seconds:F6}"));
        return 0;

        async Task Finish() => await done.Task.WaitAsync(TimeSpan.FromSeconds(120)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private static async Task<Result> MeasureAsync(Uri url, string kind, string prefix, int ticks, int count)
    {
        var children = new List<(Process Process, Task<string> Output)>();
        var readies = new List<Task>();
        for (int i = 0; i < count; i++)
        {
            var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, UseShellExecute = false };
            foreach (string a in new[] { typeof(NatsFanout).Assembly.Location, "nats-consume", kind, url.ToString(), prefix, ticks.ToString(CultureInfo.InvariantCulture) })
            {
                start.ArgumentList.Add(a);
            }

            Process p = Process.Start(start)!;
            var ready = new TaskCompletionSource();
            readies.Add(ready.Task);
            children.Add((p, Task.Run(async () =>
            {
                var all = new System.Text.StringBuilder();
                while (await p.StandardOutput.ReadLineAsync() is { } line)
                {
                    ready.TrySetResult();
                    all.AppendLine(line);
                }

                return all.ToString();
            })));
        }

        var options = new NatsFeedOptions { Url = url, Prefix = prefix, QueueCapacity = ticks + 1024 };
        var source = new Subject<BookTicker>();
        await using (NatsPublisher publisher = await NatsPublisher.StartAsync(options, source, Observable.Never<HealthChange>()))
        {
            // Warm-up ticks until every consumer is subscribed and has seen one.
            Task allReady = Task.WhenAll(readies);
            for (long w = 1; !allReady.IsCompleted; w++)
            {
                source.OnNext(new BookTicker("WARMUP", w, 1m, 1m, 2m, 1m, 0));
                await Task.WhenAny(allReady, Task.Delay(20));
            }

            long before = publisher.Published;
            var clock = Stopwatch.StartNew();
            for (int i = 0; i < ticks; i++)
            {
                string symbol = Symbols[i % Symbols.Length];
                long u = 1_000_000 + (i / Symbols.Length);
                source.OnNext(new BookTicker(symbol, u, 100m + (i % 97 * 0.01m), 1.5m, 100.05m + (i % 97 * 0.01m), 2.25m, 1_700_000_000_000_000_000 + i));
            }

            while (publisher.Published - before < ticks && publisher.Dropped == 0 && clock.Elapsed < TimeSpan.FromSeconds(120))
            {
                await Task.Delay(5);
            }

            double publisherRate = ticks / clock.Elapsed.TotalSeconds;
            var rates = new List<double>();
            int complete = 0, inOrder = 0;
            foreach ((Process p, Task<string> output) in children)
            {
                await p.WaitForExitAsync();
                string done = (await output).Split('\n').Last(l => l.StartsWith("done ", StringComparison.Ordinal));
                string[] f = done.Split(' ');
                long got = long.Parse(f[1], CultureInfo.InvariantCulture);
                complete += got == ticks ? 1 : 0;
                inOrder += f[2] == "1" ? 1 : 0;
                rates.Add(got / Math.Max(1e-9, double.Parse(f[3], CultureInfo.InvariantCulture)));
                p.Dispose();
            }

            rates.Sort();
            return new Result(complete, inOrder, rates[rates.Count / 2], rates[0], publisherRate);
        }
    }

    private sealed record Result(int Complete, int InOrder, double Median, double Min, double PublisherRate);
}
