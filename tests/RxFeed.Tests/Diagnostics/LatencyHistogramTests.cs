using RxFeed.Diagnostics;

namespace RxFeed.Tests.Diagnostics;

/// <summary><see cref="LatencyHistogram"/> against the exact percentiles of a sorted array.</summary>
public sealed class LatencyHistogramTests
{
    private static readonly double[] Fractions = [0, 0.001, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 0.999, 0.9999, 1];

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(2024)]
    public void Percentile_RandomData_WithinOneThirtySecondOfTheExactOneAndNeverBelow(int seed)
    {
        var random = new Random(seed);
        var histogram = new LatencyHistogram();

        // Latencies from 0 ns to about 3 hours, spread over every power of two, plus a clump of small exact values.
        long[] values = [.. Enumerable.Range(0, 50_000).Select(i => i % 10 == 0 ? random.NextInt64(0, 64) : (long)Math.Exp(random.NextDouble() * 30))];
        foreach (long v in values)
        {
            histogram.Record(v);
        }

        Array.Sort(values);
        foreach (double f in Fractions)
        {
            long exact = values[Math.Max(1, (long)Math.Ceiling(f * values.Length)) - 1];
            long estimate = histogram.Percentile(f);
            estimate.Should().BeGreaterThanOrEqualTo(exact, $"p{f * 100} is the bucket's upper edge");
            estimate.Should().BeLessThanOrEqualTo(exact + (exact / 32), $"p{f * 100} is within 1/32 of the exact {exact}");
        }

        histogram.Max.Should().Be(values[^1]);
        histogram.Percentile(1).Should().Be(values[^1]);
        histogram.Count.Should().Be(values.Length);
    }

    [Fact]
    public void Percentile_SmallValues_Exact()
    {
        var histogram = new LatencyHistogram();
        foreach (long v in new long[] { 3, 1, 31, 2, 0 })
        {
            histogram.Record(v);
        }

        Fractions.Select(histogram.Percentile).Should().Equal(0, 0, 0, 0, 1, 2, 3, 31, 31, 31, 31, 31);
    }

    [Fact]
    public void Max_IsExactNotABucketEdge()
    {
        var histogram = new LatencyHistogram();
        histogram.Record(1_000_003);
        histogram.Record(999_999_937);
        histogram.Record(5);

        histogram.Max.Should().Be(999_999_937);
        histogram.Percentile(1).Should().Be(999_999_937);
        histogram.Percentile(0.5).Should().BeInRange(1_000_003, 1_000_003 + (1_000_003 / 32));
    }

    [Fact]
    public void Record_LargestValue_KeptExactly()
    {
        var histogram = new LatencyHistogram();
        histogram.Record(long.MaxValue);
        histogram.Record(long.MaxValue - (1L << 57));

        histogram.Max.Should().Be(long.MaxValue);
        histogram.Percentile(1).Should().Be(long.MaxValue);
        histogram.Percentile(0.5).Should().BeGreaterThanOrEqualTo(long.MaxValue - (1L << 57));
    }

    [Fact]
    public void Empty_EverythingIsZero()
    {
        var histogram = new LatencyHistogram();

        (histogram.Count, histogram.Max, histogram.Percentile(0), histogram.Percentile(0.5), histogram.Percentile(1)).Should().Be((0L, 0L, 0L, 0L, 0L));
    }

    [Fact]
    public void Record_Negative_CountsAsZero()
    {
        var histogram = new LatencyHistogram();
        histogram.Record(-1);
        histogram.Record(long.MinValue);

        (histogram.Count, histogram.Max, histogram.Percentile(0.5), histogram.Percentile(1)).Should().Be((2L, 0L, 0L, 0L));
        histogram.Record(10);
        histogram.Percentile(0.5).Should().Be(0, "two of the three values were negative");
        histogram.Percentile(1).Should().Be(10);
    }

    [Theory]
    [InlineData(-0.01)]
    [InlineData(1.01)]
    public void Percentile_FractionOutOfRange_Throws(double fraction)
    {
        var histogram = new LatencyHistogram();

        FluentActions.Invoking(() => histogram.Percentile(fraction)).Should().Throw<ArgumentOutOfRangeException>();
    }
}
