using System.Reactive.Linq;
using RxFeed;
using RxFeed.Exchange;
using RxFeed.Hosting;
using RxFeed.Nats;
using RxFeed.Resilience;
using RxFeed.Testing;

// RxFeed + RxFeed.Exchange: a live feed over a loopback socket.
await using LocalExchange exchange = await LocalExchange.StartAsync(new ExchangeOptions { Market = new MarketOptions { Symbols = ["ADAUSDT"], Rate = 50 } });
RxFeedClient client = RxFeedClient.Create(new RxFeedOptions { Endpoint = new Uri(exchange.BaseUrl + "/ws"), Symbols = ["ADAUSDT"] });
IList<BookTicker> ticks = await client.BookTickers.Take(5).ToList().Timeout(TimeSpan.FromSeconds(60));
foreach (BookTicker t in ticks)
{
    Console.WriteLine($"tick {t.Symbol} u={t.UpdateId} bid {t.BidPrice} ask {t.AskPrice}");
}

// RxFeed.Testing: an operator of the library in virtual time.
var s = new MarbleScheduler(TimeSpan.FromSeconds(1));
var values = new Dictionary<char, int> { ['a'] = 1 };
var input = s.Hot("--a--------", values);
var output = s.Run(() => input.StaleAfter(TimeSpan.FromSeconds(3), s));
s.Expect(output, "--a--#", values, new Dictionary<string, Exception> { ["#"] = new StaleFeedException() });
Console.WriteLine("marble ok");

// RxFeed.Nats: options validate without a server.
new NatsFeedOptions { Url = new Uri("nats://127.0.0.1:4222") }.Validate();
Console.WriteLine("nats options ok");
