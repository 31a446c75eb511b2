namespace RxFeed.Diagnostics;

/// <summary>
/// Who is faster, per source of a <c>MergeFirstArrival</c>: written by the merge (one writer at a time, under its gate),
/// readable from any thread while it runs. One instance per merge; sources are in the order the merge was given them.
/// </summary>
public sealed class ArrivalRace
{
    /// <summary>Initializes a new instance of the <see cref="ArrivalRace"/> class.</summary>
    /// <param name="names">One name per source (an endpoint's URL), in the merge's order.</param>
    public ArrivalRace(IReadOnlyList<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        ArgumentOutOfRangeException.ThrowIfZero(names.Count);
        Sources = [.. names.Select(n => new SourceArrivals(n))];
    }

    /// <summary>Gets the sources, in the merge's order.</summary>
    public IReadOnlyList<SourceArrivals> Sources { get; }

    /// <summary>Gets the ticks delivered, all sources.</summary>
    public long Delivered => Sources.Sum(s => s.First);
}

/// <summary>One source's part in the race.</summary>
/// <param name="name">The source's name.</param>
public sealed class SourceArrivals(string name)
{
    private long _first;
    private long _duplicates;
    private long _late;
    private long _errors;

    /// <summary>Gets the source's name.</summary>
    public string Name { get; } = name;

    /// <summary>Gets the ticks this source delivered first (the merged feed's ticks that came from it).</summary>
    public long First => Volatile.Read(ref _first);

    /// <summary>Gets the copies of a <c>u</c> another source (or this one) had already delivered, dropped.</summary>
    public long Duplicates => Volatile.Read(ref _duplicates);

    /// <summary>
    /// Gets the ticks dropped because a newer <c>u</c> of the symbol had been delivered first and this one never was:
    /// the symbol's order holds, so a tick that lost to a newer one by more than its own interval cannot go out.
    /// </summary>
    public long Late => Volatile.Read(ref _late);

    /// <summary>Gets how often this source ended in an error (the merge goes on while another source lives).</summary>
    public long Errors => Volatile.Read(ref _errors);

    /// <summary>
    /// Gets the lead this source had when it delivered a <c>u</c> first and another source delivered the same <c>u</c>
    /// later: the second copy's receive time minus the first's (ns).
    /// </summary>
    public LatencyHistogram Lead { get; } = new();

    internal void CountFirst() => Volatile.Write(ref _first, _first + 1);

    internal void CountDuplicate() => Volatile.Write(ref _duplicates, _duplicates + 1);

    internal void CountDuplicates(int n) => Volatile.Write(ref _duplicates, _duplicates + n);

    internal void CountLate() => Volatile.Write(ref _late, _late + 1);

    internal void CountError() => Interlocked.Increment(ref _errors);
}
