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
        IObservable<string> @in, IScheduler scheduler, TimeSpan staleAfter, TimeSpan initial, TimeSpan? lifetime = null, TimeSpan? ackTimeout = null)
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
            AckTimeout = ackTimeout ?? TimeSpan.FromSeconds(10),
            ReconcileInterval = TimeSpan.Zero,
        };
        return new FeedConnection(options, new ColdSocketFactory(@in), scheduler: scheduler).Frames;
    }

    /// <summary>
    /// The connection's one <see cref="RxFeed.Connection.OutboundLimiter"/>: each value of <c>in</c> asks for a slot (values
    /// starting with <c>pong</c> or <c>ping</c> are those frames, the rest requests) and is emitted when granted; its write
    /// takes no time. Completes when <c>in</c> has and every frame went out.
    /// </summary>
    [MarbleOperator("OutboundLimiter")]
    public static IObservable<string> OutboundLimiter(IObservable<string> @in, IScheduler scheduler, int perSecond) =>
        Observable.Create<string>(observer =>
        {
            var gate = new object();
            var limiter = new OutboundLimiter(perSecond, scheduler);
            int waiting = 0;
            bool completed = false;
            IDisposable input = @in.Subscribe(
                frame =>
                {
                    lock (gate)
                    {
                        waiting++;
                    }

                    OutboundFrameKind kind = frame.StartsWith("pong", StringComparison.Ordinal) ? OutboundFrameKind.Pong
                        : frame.StartsWith("ping", StringComparison.Ordinal) ? OutboundFrameKind.Ping : OutboundFrameKind.Request;
                    limiter.Request(kind, slot =>
                    {
                        lock (gate)
                        {
                            observer.OnNext(frame);
                            slot.Complete();
                            if (--waiting == 0 && completed)
                            {
                                observer.OnCompleted();
                            }
                        }
                    });
                },
                observer.OnError,
                () =>
                {
                    lock (gate)
                    {
                        completed = true;
                        if (waiting == 0)
                        {
                            observer.OnCompleted();
                        }
                    }
                });
            return new System.Reactive.Disposables.CompositeDisposable(input, limiter);
        });

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
