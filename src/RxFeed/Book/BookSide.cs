using System.Runtime.CompilerServices;
using RxFeed.Parsing;

namespace RxFeed.Book;

/// <summary>
/// One side of an order book: its levels held exactly, sorted with the best level at the end of the arrays. A change at
/// the top of the book is found by a short walk from the end and moves only the levels better than it, so its cost does
/// not grow with the depth of the book; a change deeper down is found by binary search.
/// </summary>
public sealed class BookSide
{
    /// <summary>How many levels from the top are walked one by one before a binary search takes over.</summary>
    private const int TopWalk = 8;

    private readonly bool _bids;
    private decimal[] _prices;
    private decimal[] _quantities;
    private int _count;

    internal BookSide(bool bids, int capacity = 256)
    {
        _bids = bids;
        _prices = new decimal[capacity];
        _quantities = new decimal[capacity];
    }

    /// <summary>Gets a value indicating whether this is the bid side (best = highest price).</summary>
    public bool IsBids => _bids;

    /// <summary>Gets the number of levels.</summary>
    public int Count => _count;

    /// <summary>Gets the level at a rank from the top: 0 is the best.</summary>
    /// <param name="rank">0 to <see cref="Count"/> - 1.</param>
    public PriceLevel this[int rank]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(rank);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(rank, _count);
            int i = _count - 1 - rank;
            return new PriceLevel(_prices[i], _quantities[i]);
        }
    }

    /// <summary>Gets the best level.</summary>
    /// <param name="level">The best level, when there is one.</param>
    /// <returns>False on an empty side.</returns>
    public bool TryGetBest(out PriceLevel level)
    {
        if (_count == 0)
        {
            level = default;
            return false;
        }

        level = new PriceLevel(_prices[_count - 1], _quantities[_count - 1]);
        return true;
    }

    /// <summary>Sets the absolute quantity at a price; 0 removes the level (removing an absent level is normal).</summary>
    /// <param name="price">The price.</param>
    /// <param name="quantity">The quantity.</param>
    internal void Set(decimal price, decimal quantity)
    {
        // i: the last index whose price is not better than `price` (-1 when all are better).
        int i = FindNotBetter(price);
        bool found = i >= 0 && Same(_prices[i], price);
        if (quantity == 0m)
        {
            if (found)
            {
                int above = _count - i - 1;
                Array.Copy(_prices, i + 1, _prices, i, above);
                Array.Copy(_quantities, i + 1, _quantities, i, above);
                _count--;
            }

            return;
        }

        if (found)
        {
            _quantities[i] = quantity;
            return;
        }

        if (_count == _prices.Length)
        {
            Array.Resize(ref _prices, _count * 2);
            Array.Resize(ref _quantities, _count * 2);
        }

        int at = i + 1;
        int move = _count - at;
        if (move > 0)
        {
            Array.Copy(_prices, at, _prices, at + 1, move);
            Array.Copy(_quantities, at, _quantities, at + 1, move);
        }

        _prices[at] = price;
        _quantities[at] = quantity;
        _count++;
    }

    internal void Clear() => _count = 0;

    /// <summary>Replaces the side with a snapshot's levels; sent best first, so they are added worst first, each on top.</summary>
    internal void Load(ReadOnlySpan<PriceLevel> levels)
    {
        _count = 0;
        for (int k = levels.Length - 1; k >= 0; k--)
        {
            Set(levels[k].Price, levels[k].Quantity);
        }
    }

    private int FindNotBetter(decimal price)
    {
        decimal[] prices = _prices;
        int i = _count - 1;
        int stop = Math.Max(-1, i - TopWalk);
        for (; i > stop; i--)
        {
            if (!Better(prices[i], price))
            {
                return i;
            }
        }

        if (i < 0)
        {
            return -1;
        }

        // Binary search in [0, i]: every index above i holds a better price.
        int lo = 0;
        int hi = i;
        while (lo <= hi)
        {
            int mid = (int)((uint)(lo + hi) >> 1);
            if (Better(prices[mid], price))
            {
                hi = mid - 1;
            }
            else
            {
                lo = mid + 1;
            }
        }

        return hi;
    }

    /// <summary>Whether <paramref name="a"/> is strictly better than <paramref name="b"/> on this side.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool Better(decimal a, decimal b)
    {
        // Binance sends one scale per symbol: two 64-bit mantissas of one scale compare as integers.
        if (DecimalParts.TryGetSmall(a, out ulong ma, out int sa) && DecimalParts.TryGetSmall(b, out ulong mb, out int sb) && sa == sb)
        {
            return _bids ? ma > mb : ma < mb;
        }

        return _bids ? a > b : a < b;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Same(decimal a, decimal b) =>
        DecimalParts.TryGetSmall(a, out ulong ma, out int sa) && DecimalParts.TryGetSmall(b, out ulong mb, out int sb) && sa == sb ? ma == mb : a == b;
}
