using System.Diagnostics.Metrics;
using RxFeed.Diagnostics;
using RxFeed.Tests.Support;

namespace RxFeed.Tests.Diagnostics;

/// <summary>The meters a collector sees (dotnet-counters, OpenTelemetry) without code changes.</summary>
public sealed class RxFeedMetersTests
{
    [Fact]
    public void Record_BookTicker_CountsTheFrameByClassAndADeliveredTick()
    {
        var seen = new List<(string Name, long Value, string? Class)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == RxFeedMeters.MeterName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            string? cls = null;
            foreach (KeyValuePair<string, object?> tag in tags)
            {
                cls = tag.Key == "class" ? tag.Value as string : cls;
            }

            lock (seen)
            {
                seen.Add((instrument.Name, value, cls));
            }
        });
        listener.Start();

        new FeedCounters().Record(Frames.Classify(Frames.Ticker("METERUSDT", 7)));
        new FeedCounters().Record(Frames.Classify("{not json"));

        lock (seen)
        {
            seen.Should().Contain(("rxfeed.frames", 1, "bookTicker"))
                .And.Contain(("rxfeed.frames", 1, "malformed"))
                .And.Contain(("rxfeed.ticks.delivered", 1, null));
        }
    }
}
