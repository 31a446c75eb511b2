using System.Numerics;

namespace RxFeed.Diagnostics;

/// <summary>
/// A fixed-bucket latency histogram for one writer thread: values in nanoseconds, kept within 1/32 (about 3 %) of their
/// size from 1 ns to hours, in a table allocated once, so recording every tick costs a few instructions and no allocation.
/// Readers on other threads see a consistent-enough snapshot for a summary (counts are read without a lock).
/// </summary>
public sealed class LatencyHistogram
{
    private const int SubBits = 5; // 32 linear sub-buckets per power of two
    private const int SubCount = 1 << SubBits;
    private readonly long[] _counts = new long[(64 - SubBits + 1) * SubCount];
    private long _total;
    private long _max;

    /// <summary>Gets how many values were recorded.</summary>
    public long Count => Volatile.Read(ref _total);

    /// <summary>Gets the largest value recorded, exactly (ns).</summary>
    public long Max => Volatile.Read(ref _max);

    /// <summary>Records one latency; a negative one (clocks of two threads a hair apart) counts as 0.</summary>
    /// <param name="nanoseconds">The latency.</param>
    public void Record(long nanoseconds)
    {
        long value = Math.Max(0, nanoseconds);
        _counts[Index(value)]++;
        Volatile.Write(ref _total, _total + 1);
        if (value > _max)
        {
            Volatile.Write(ref _max, value);
        }
    }

    /// <summary>The value below or at which <paramref name="fraction"/> of the recorded values lie (the bucket's upper edge, capped at <see cref="Max"/>).</summary>
    /// <param name="fraction">0.5 for the median, 0.99 for p99.</param>
    /// <returns>Nanoseconds; 0 when nothing was recorded.</returns>
    public long Percentile(double fraction)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(fraction);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(fraction, 1);
        long total = Count;
        if (total == 0)
        {
            return 0;
        }

        long rank = Math.Max(1, (long)Math.Ceiling(fraction * total));
        long seen = 0;
        for (int i = 0; i < _counts.Length; i++)
        {
            seen += Volatile.Read(ref _counts[i]);
            if (seen >= rank)
            {
                return Math.Min(UpperEdge(i), Max);
            }
        }

        return Max;
    }

    private static int Index(long value)
    {
        if (value < SubCount)
        {
            return (int)value;
        }

        // The top SubBits+1 bits of the value pick the bucket: the power of two, then the linear step within it.
        int shift = 63 - BitOperations.LeadingZeroCount((ulong)value) - SubBits;
        return ((shift + 1) << SubBits) + (int)((value >> shift) - SubCount);
    }

    private static long UpperEdge(int index)
    {
        if (index < SubCount)
        {
            return index;
        }

        int shift = (index >> SubBits) - 1;
        long sub = (index & (SubCount - 1)) + SubCount;
        return ((sub + 1) << shift) - 1;
    }
}
