using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using RxFeed.Exchange.Frames;

namespace RxFeed.Exchange.Sessions;

/// <summary>The clock side: a ping with a payload every interval, the pong deadline, and the lifetime cut.</summary>
internal sealed partial class ClientSession
{
    private readonly object _pingGate = new();
    private readonly Queue<(byte[] Payload, long SentAt)> _outstandingPings = new();
    private long _pingSequence;

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    /// <summary>A pong counts only when it echoes an outstanding ping; it answers that ping and every earlier one.</summary>
    private void OnPong(ReadOnlySpan<byte> payload)
    {
        lock (_pingGate)
        {
            var index = 0;
            var match = -1;
            foreach (var (sent, _) in _outstandingPings)
            {
                if (payload.SequenceEqual(sent))
                {
                    match = index;
                }

                index++;
            }

            if (match < 0)
            {
                _counters.UnsolicitedPong();
                return;
            }

            for (var i = 0; i <= match; i++)
            {
                _outstandingPings.Dequeue();
            }
        }

        _counters.PongReceived();
    }

    private async Task TimerLoopAsync(CancellationToken token)
    {
        var opened = Stopwatch.GetTimestamp();
        var nextPing = _options.PingInterval;
        while (!token.IsCancellationRequested && Volatile.Read(ref _closing) == 0)
        {
            var elapsed = Stopwatch.GetElapsedTime(opened);
            if (elapsed >= _options.MaxLifetime)
            {
                _counters.LifetimeClose();
                _logger.LogInformation("Connection {ConnectionId} reached its maximum lifetime {Lifetime}; closing", Id, _options.MaxLifetime);
                BeginClose(WebSocketCloseCodes.GoingAway, "Connection lifetime reached");
                return;
            }

            var wake = _options.MaxLifetime;
            if (!_stalled)
            {
                var oldest = OldestOutstandingPing();
                if (oldest is { } sentAt)
                {
                    var waited = Stopwatch.GetElapsedTime(sentAt);
                    if (waited >= _options.PongTimeout)
                    {
                        _counters.PongTimeout();
                        _logger.LogWarning("Connection {ConnectionId} sent no pong for {Waited}; closing", Id, waited);
                        Abort(); // a peer that sends no pong would not read a close frame either
                        return;
                    }

                    wake = Min(wake, elapsed + (_options.PongTimeout - waited));
                }

                if (elapsed >= nextPing)
                {
                    SendPing();
                    while (nextPing <= elapsed)
                    {
                        nextPing += _options.PingInterval; // a fixed schedule, whatever the client sends
                    }
                }

                wake = Min(wake, nextPing);
            }
            else
            {
                wake = Min(wake, elapsed + TimeSpan.FromMilliseconds(100));
            }

            var delay = Min(wake, _options.MaxLifetime) - elapsed;
            await Task.Delay(delay > TimeSpan.FromMilliseconds(1) ? delay : TimeSpan.FromMilliseconds(1), token).ConfigureAwait(false);
        }
    }

    private long? OldestOutstandingPing()
    {
        lock (_pingGate)
        {
            return _outstandingPings.Count > 0 ? _outstandingPings.Peek().SentAt : null;
        }
    }

    private void SendPing()
    {
        var sequence = Interlocked.Increment(ref _pingSequence);
        var payload = Encoding.ASCII.GetBytes(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture) + "-" + sequence.ToString(CultureInfo.InvariantCulture));
        lock (_pingGate)
        {
            _outstandingPings.Enqueue((payload, Stopwatch.GetTimestamp()));
        }

        _counters.PingSent();
        EnqueueControl(new OutgoingFrame(WebSocketOpcode.Ping, payload));
    }
}
