using System.Reactive.Concurrency;
using System.Reactive.Linq;
using System.Reactive.Subjects;
using System.Reactive.Threading.Tasks;
using System.Text.Json;
using RxFeed.Connection;
using RxFeed.Diagnostics;
using RxFeed.Exchange;
using RxFeed.Hosting;
using RxFeed.Output;

namespace RxFeed.Integration.Tests;

/// <summary>
/// The live path over a real LocalExchange on loopback: subscribers run on the pipeline thread, never a socket's; a consumer
/// that blocks behind <see cref="FeedObservable.Conflate"/> holds neither the feed nor the ticks file.
/// </summary>
public sealed class LivePathTests : IDisposable
{
    // Only a guard against a hang when something is broken; every wait returns as soon as its event happens.
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(30);
    private readonly string _dir = Directory.CreateTempSubdirectory("rxfeed-livepath-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task BookTickers_Subscriber_RunsOnThePipelineThreadOnly()
    {
        await using LocalExchange exchange = await Start();
        RxFeedClient client = Client(exchange);
        var threads = new List<(string? Name, int Id)>();

        IList<BookTicker> ticks = await client.BookTickers
            .Do(_ => threads.Add((Thread.CurrentThread.Name, Environment.CurrentManagedThreadId)))
            .Take(50).ToList().ToTask().WaitAsync(HangGuard);

        ticks.Should().HaveCount(50);
        threads.Select(t => t.Name).Should().OnlyContain(n => n == "rxfeed-pipeline", "parsing and subscribers run after the hand-off");
        threads.Select(t => t.Id).Distinct().Should().ContainSingle("one pipeline thread keeps the order");
    }

    [Fact]
    public async Task Conflate_ConsumerBlocked_TicksFileKeepsEveryDeliveredTickAndTheConsumerThenSeesTheLatest()
    {
        const int More = 200;
        await using LocalExchange exchange = await Start();
        RxFeedClient client = Client(exchange);
        string path = Path.Combine(_dir, "ticks.ndjson");
        OutputWriter<BookTicker> file = OutputWriter.Ndjson<BookTicker>(path, NdjsonText.WriteTick);
        using var consumerThread = new EventLoopScheduler(start => new Thread(start) { Name = "test-consumer", IsBackground = true });
        using var blocked = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var consumed = new List<BookTicker>();
        var consumerDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var delivered = new List<BookTicker>();
        var conflated = new ConflationCounts<string>();
        int deliveredWhenBlocked = -1;
        int end = int.MaxValue;

        // The feed ends (for the file and the consumer alike) once More ticks came after the one the consumer blocked on.
        IConnectableObservable<BookTicker> feed = client.BookTickers
            .Select((t, i) => (Tick: t, Index: i))
            .TakeWhile(p => p.Index < Volatile.Read(ref end))
            .Select(p => p.Tick)
            .Publish();
        using IDisposable writer = feed.Subscribe(t =>
        {
            file.OnNext(t);
            lock (delivered)
            {
                delivered.Add(t);
            }
        });
        Task<BookTicker> last = feed.LastAsync().ToTask();
        using IDisposable consumer = feed.Conflate(t => t.Symbol, consumerThread, conflated).Subscribe(
            t =>
            {
                consumed.Add(t);
                if (consumed.Count == 1)
                {
                    lock (delivered)
                    {
                        deliveredWhenBlocked = delivered.Count;
                    }

                    Volatile.Write(ref end, deliveredWhenBlocked + More);

                    // A consumer stuck on a slow call: it holds its own thread until the feed has moved well past it.
                    blocked.Set();
                    release.Wait(HangGuard).Should().BeTrue("the test releases the consumer");
                }
            },
            () => consumerDone.SetResult());
        using IDisposable connection = feed.Connect();

        blocked.Wait(HangGuard).Should().BeTrue("the consumer gets the first tick");
        BookTicker latest = await last.WaitAsync(HangGuard); // the feed went on while the consumer was blocked
        int total;
        lock (delivered)
        {
            total = delivered.Count;
        }

        total.Should().BeGreaterThanOrEqualTo(deliveredWhenBlocked + More, "at least More ticks were delivered while the consumer was blocked");
        consumed.Should().ContainSingle("the consumer is still blocked in its first tick");
        release.Set();
        await consumerDone.Task.WaitAsync(HangGuard);
        file.Dispose();

        consumed.Should().HaveCount(2).And.HaveElementAt(1, latest, "after the block the consumer sees the latest tick, nothing in between");
        conflated.Total.Should().BeGreaterThan(0);
        (file.Lines, file.Drops).Should().Be(((long)total, 0L));
        string[] lines = File.ReadAllLines(path);
        lines.Should().HaveCount(total, "the ticks file keeps every delivered tick while the consumer is blocked");
        long[] u = [.. lines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("u").GetInt64())];
        long[] ts = [.. lines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("ts").GetInt64())];
        u.Zip(u.Skip(1)).Should().OnlyContain(p => p.Second > p.First, "u rises strictly");
        ts.Should().BeInAscendingOrder("ts never decreases");
        u[^1].Should().Be(latest.UpdateId);
    }

    private static Task<LocalExchange> Start() =>
        LocalExchange.StartAsync(new ExchangeOptions { Market = new MarketOptions { Symbols = ["ADAUSDT"], Rate = 500 } });

    private static RxFeedClient Client(LocalExchange exchange) =>
        RxFeedClient.Create(new RxFeedOptions { Endpoint = new Uri(exchange.BaseUrl + "/ws"), Symbols = ["adausdt"], StaleAfter = TimeSpan.FromSeconds(5) });
}
