using System.Runtime.CompilerServices;

namespace RxFeed;

/// <summary>RxFeed's operators: the per-symbol state of <c>MergeFirstArrival</c>.</summary>
public static partial class FeedObservable
{
    private struct Arrival
    {
        public long UpdateId;
        public long ReceivedNs;
        public int Source;
        public bool LeadRecorded;
    }

    /// <summary>
    /// One symbol's recent deliveries (oldest overwritten; <c>u</c> rises along the ring), and per source when it last
    /// sent the symbol and what it holds while it rejoins. Allocated on the symbol's first tick; a hold's buffer on a
    /// source's first rejoin.
    /// </summary>
    private sealed class SymbolArrivals(int size, int sources)
    {
        private const int HoldCapacity = 256;
        private readonly Arrival[] _ring = new Arrival[size];
        private readonly long[] _lastSeenNs = new long[sources];
        private readonly bool[] _seen = new bool[sources];
        private readonly Hold?[] _holds = new Hold?[sources];
        private int _head = -1;
        private int _count;
        private int _lastWinner = -1;
        private long _lastDeliveredNs;

        /// <summary>Gets the last delivered <c>u</c> (<see cref="long.MinValue"/> before the first).</summary>
        public long LastU { get; private set; } = long.MinValue;

        /// <summary>Gets how many sources hold ticks now (0 on the fast path).</summary>
        public int Holding { get; private set; }

        public void Add(long updateId, long receivedNs, int source)
        {
            _head = (_head + 1) & (_ring.Length - 1);
            _ring[_head] = new Arrival { UpdateId = updateId, ReceivedNs = receivedNs, Source = source };
            _count = Math.Min(_count + 1, _ring.Length);
            LastU = updateId;
            _lastWinner = source;
            _lastDeliveredNs = receivedNs;
        }

        public void Seen(int source, long receivedNs)
        {
            _seen[source] = true;
            _lastSeenNs[source] = receivedNs;
        }

        /// <summary>
        /// Whether a source's tick starts a rejoin: it was silent on the symbol (never sent it, or not for longer than the
        /// hold) while another source delivered it within the hold. Then it holds from now.
        /// </summary>
        public bool Rejoins(int source, long receivedNs, long holdNs)
        {
            bool silent = !_seen[source] || receivedNs - _lastSeenNs[source] > holdNs;
            bool othersLive = _lastWinner >= 0 && _lastWinner != source && receivedNs - _lastDeliveredNs <= holdNs;
            if (!silent || !othersLive)
            {
                return false;
            }

            Hold hold = _holds[source] ??= new Hold(HoldCapacity);
            hold.Start(receivedNs);
            Holding++;
            return true;
        }

        public bool IsHolding(int source) => _holds[source] is { Active: true };

        public long HeldSinceNs(int source) => _holds[source]!.SinceNs;

        public long HeldFirstU(int source) => _holds[source]!.FirstU;

        public bool TryHold(int source, in BookTicker tick) => _holds[source]!.TryAdd(tick);

        public int DropHeldUpTo(int source, long updateId) => _holds[source]!.DropUpTo(updateId);

        /// <summary>Ends a source's hold; returns what it held, valid until it holds again.</summary>
        public ReadOnlySpan<BookTicker> StopHolding(int source)
        {
            Hold hold = _holds[source]!;
            if (hold.Active)
            {
                Holding--;
            }

            return hold.Stop();
        }

        /// <summary>The arrival of <paramref name="updateId"/>, newest first (a copy is usually of a recent tick).</summary>
        public ref Arrival Find(long updateId)
        {
            for (int n = 0, i = _head; n < _count; n++, i = (i - 1) & (_ring.Length - 1))
            {
                ref Arrival a = ref _ring[i];
                if (a.UpdateId == updateId)
                {
                    return ref a;
                }

                if (a.UpdateId < updateId)
                {
                    break;
                }
            }

            return ref Unsafe.NullRef<Arrival>();
        }
    }

    /// <summary>A rejoining source's ticks ahead of the feed, in arrival (so <c>u</c>) order.</summary>
    private sealed class Hold(int capacity)
    {
        private readonly BookTicker[] _ticks = new BookTicker[capacity];
        private int _start;
        private int _end;

        public bool Active { get; private set; }

        public long SinceNs { get; private set; }

        /// <summary>Gets the first <c>u</c> it held (<see cref="long.MaxValue"/> before one): the feed reaching it means the others caught up.</summary>
        public long FirstU { get; private set; } = long.MaxValue;

        public void Start(long nowNs)
        {
            (Active, SinceNs, FirstU, _start, _end) = (true, nowNs, long.MaxValue, 0, 0);
        }

        public bool TryAdd(in BookTicker tick)
        {
            if (_end == _ticks.Length)
            {
                return false;
            }

            FirstU = Math.Min(FirstU, tick.UpdateId);
            _ticks[_end++] = tick;
            return true;
        }

        public int DropUpTo(long updateId)
        {
            int dropped = 0;
            while (_start < _end && _ticks[_start].UpdateId <= updateId)
            {
                _start++;
                dropped++;
            }

            return dropped;
        }

        public ReadOnlySpan<BookTicker> Stop()
        {
            Active = false;
            return _ticks.AsSpan(_start, _end - _start);
        }
    }
}
