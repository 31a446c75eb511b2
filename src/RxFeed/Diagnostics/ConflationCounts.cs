namespace RxFeed.Diagnostics;

/// <summary>
/// What <c>Conflate</c> replaced before delivery, per key and in all: one count per value a newer value of its key
/// overwrote while it waited. Written by the operator, readable from any thread while the pipeline runs; one instance
/// may be shared by several conflating subscriptions.
/// </summary>
/// <typeparam name="TKey">The conflation key, e.g. the symbol.</typeparam>
public sealed class ConflationCounts<TKey>
    where TKey : notnull
{
    private readonly Lock _gate = new();
    private readonly Dictionary<TKey, long> _byKey = [];
    private long _total;

    /// <summary>Gets the values replaced before delivery, all keys.</summary>
    public long Total => Interlocked.Read(ref _total);

    /// <summary>The values of one key replaced before delivery.</summary>
    /// <param name="key">The key.</param>
    /// <returns>The count; 0 for a key never replaced.</returns>
    public long Of(TKey key)
    {
        lock (_gate)
        {
            return _byKey.GetValueOrDefault(key);
        }
    }

    /// <summary>Takes a consistent copy: its values sum to <see cref="Total"/> at that moment.</summary>
    /// <returns>Every key replaced at least once, with its count.</returns>
    public IReadOnlyDictionary<TKey, long> Snapshot()
    {
        lock (_gate)
        {
            return new Dictionary<TKey, long>(_byKey);
        }
    }

    internal void Replaced(TKey key)
    {
        lock (_gate)
        {
            System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(_byKey, key, out _)++;

            // Written under the gate so a snapshot and the total agree; Interlocked so Total can read it without the gate.
            Interlocked.Increment(ref _total);
        }
    }
}
