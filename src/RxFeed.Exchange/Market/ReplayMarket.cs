using Microsoft.Extensions.Logging;
using RxFeed.Exchange.Sessions;

namespace RxFeed.Exchange.Market;

/// <summary>
/// Serves recorded frames on one shared market clock that starts at the first subscription. Payloads go out byte
/// for byte on the first pass; when looping, each later pass raises <c>u</c>/<c>U</c> past the previous pass.
/// </summary>
internal sealed class ReplayMarket : IMarket
{
    private const int MaxPaceBatch = 256;
    private static readonly TimeSpan BacklogPatience = TimeSpan.FromMilliseconds(200);

    private readonly MarketOptions _options;
    private readonly MarketHub _hub;
    private readonly MarketClock _clock;
    private readonly ILogger _logger;

    /// <summary>Initializes a new instance of the <see cref="ReplayMarket"/> class.</summary>
    /// <param name="options">The market options.</param>
    /// <param name="hub">The hub.</param>
    /// <param name="clock">The market clock.</param>
    /// <param name="logger">The logger.</param>
    public ReplayMarket(MarketOptions options, MarketHub hub, MarketClock clock, ILogger logger)
    {
        _options = options;
        _hub = hub;
        _clock = clock;
        _logger = logger;
    }

    /// <inheritdoc/>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await _hub.FirstSubscriber.WaitAsync(cancellationToken).ConfigureAwait(false);
        _clock.Start();
        long idOffset = 0, lowest = long.MaxValue, highest = long.MinValue;
        double passStart = 0;
        for (var pass = 0; !cancellationToken.IsCancellationRequested; pass++)
        {
            long firstNs = -1, lastNs = 0, served = 0;
            await foreach (var frame in RecordedFrameReader.ReadAsync(_options.ReplayFiles, cancellationToken).ConfigureAwait(false))
            {
                firstNs = firstNs < 0 ? frame.ReceivedNs : firstNs;
                lastNs = frame.ReceivedNs;
                await PaceAsync(passStart + ((frame.ReceivedNs - firstNs) / 1e9), served, cancellationToken).ConfigureAwait(false);
                var payload = UpdateIdRewriter.Shift(frame.Payload, idOffset, out var u);
                if (pass == 0 && UpdateIdRewriter.TryRead(frame.Payload.Span, out var low, out var high))
                {
                    lowest = Math.Min(lowest, low);
                    highest = Math.Max(highest, high);
                }

                _hub.Publish(frame.Stream, payload, StreamNames.IsBookTicker(frame.Stream) ? u : 0);
                served++;
            }

            _logger.LogInformation("Replay pass {Pass} served {Frames} frames", pass + 1, served);
            if (!_options.Loop || served == 0)
            {
                return;
            }

            // The next pass starts after this one, u above everything served so far.
            passStart += (Math.Max(lastNs - Math.Max(firstNs, 0), 0) / 1e9) + 0.001;
            if (highest >= lowest)
            {
                idOffset += highest - lowest + 1;
            }
        }
    }

    private async Task PaceAsync(double recordedSeconds, long served, CancellationToken cancellationToken)
    {
        if (_options.Pace.IsMax)
        {
            if (served % MaxPaceBatch == 0)
            {
                // With nobody subscribed, a looping max-pace replay would spin for nothing: wait for a reader.
                while (!_hub.HasSubscribers)
                {
                    await Task.Delay(50, cancellationToken).ConfigureAwait(false);
                }

                // As fast as the readers take it: wait a little for backlogged readers, never forever for one that does not read.
                var waited = TimeSpan.Zero;
                while (_hub.AnySessionBacklogged() && waited < BacklogPatience)
                {
                    await Task.Delay(5, cancellationToken).ConfigureAwait(false);
                    waited += TimeSpan.FromMilliseconds(5);
                }

                await Task.Yield();
            }

            return;
        }

        var due = recordedSeconds / _options.Pace.Speed;
        while (true)
        {
            var now = _clock.Now();
            if (now >= due)
            {
                return;
            }

            var rate = _clock.Rate;
            var wait = rate > 0 ? TimeSpan.FromSeconds(Math.Clamp((due - now) / rate, 0.001, 0.05)) : TimeSpan.FromMilliseconds(50);
            await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
        }
    }
}
