using System.Reactive;
using System.Reactive.Concurrency;
using System.Reactive.Linq;
using RxFeed.Connection;
using RxFeed.Testing;

namespace RxFeed.Marbles.Tests;

/// <summary>
/// <see cref="FeedConnection"/> under marbles: the k-th socket it opens receives what the k-th subscription to the cold
/// source <c>in</c> sees (<c>cold in[k]</c>), so every connection of a diagram is one line and <c>subs in</c> shows when
/// each socket was opened and dropped. An error on a line is the socket failing.
/// </summary>
internal static class ConnectionMarbleOperators
{
    [MarbleOperator("FeedConnection")]
    public static IObservable<string> FeedConnection(
        IObservable<string> @in, IScheduler scheduler, TimeSpan staleAfter, TimeSpan initial, TimeSpan? lifetime = null)
    {
        var options = new FeedConnectionOptions
        {
            Endpoint = new Uri("ws://127.0.0.1:1/ws"),
            Symbols = ["ADAUSDT"],
            StaleAfter = staleAfter,
            ReconnectInitial = initial,
            ReconnectMax = TimeSpan.FromTicks(initial.Ticks * 16),
            BackoffJitter = () => 1.0,
            ConnectionLifetime = lifetime ?? TimeSpan.FromHours(23.5),
        };
        return new FeedConnection(options, new ColdSocketFactory(@in), scheduler: scheduler).Frames;
    }

    private sealed class ColdSocketFactory(IObservable<string> frames) : IFeedSocketFactory
    {
        public IFeedSocket Create(Uri endpoint) => new ColdSocket(frames);
    }

    /// <summary>Opens at once; its messages are one subscription to the cold source; sends go nowhere.</summary>
    private sealed class ColdSocket(IObservable<string> frames) : IFeedSocket
    {
        public IObservable<string> Messages => frames;

        public IObservable<SocketDisconnect> Disconnected => Observable.Never<SocketDisconnect>();

        public IObservable<Unit> Connect() => Observable.Return(Unit.Default, ImmediateScheduler.Instance);

        public Task SendAsync(string text) => Task.CompletedTask;

        public void Close(int code, string reason)
        {
        }

        public void Dispose()
        {
        }
    }
}
