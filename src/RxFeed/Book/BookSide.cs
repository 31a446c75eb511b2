using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using RxFeed.Parsing;

namespace RxFeed.Book;

/// <summary>
/// One side of an order book, its levels held exactly. The levels form one sequence ordered from the worst price to the
/// best, cut into blocks of at most <see cref="BlockSize"/> levels; the best level is the last of the last block. A change
/// at the top of the book is found by a short walk from the end of the last block and moves at most one block's levels,
/// so its cost does not grow with the depth of the book; a deeper change costs a count over the blocks' first keys (one
/// contiguous array) and one within a block. Both counts are vector compares without branches: a binary search's
/// mispredicted branches cost more than the compares on books of this size. Emptied blocks are kept for reuse, so a book
/// in steady state allocates nothing.
/// </summary>
public sealed class BookSide
{
    /// <summary>The most levels one block holds; a full block is split in two.</summary>
    internal const int BlockSize = 32;

    private readonly bool _bids;
    private readonly List<Block> _blocks = [];
    private readonly Stack<Block> _free = new();

    /// <summary>The search key of each block's first (worst) level, index for index with <see cref="_blocks"/>.</summary>
    private ulong[] _firsts = new ulong[64];
    private int _count;

    /// <summary>The block the last deep change went to: where the next one of the same event is looked for first.</summary>
    private int _hint;

    /// <summary>
    /// While every price so far has one scale and a 64-bit mantissa (Binance sends one scale per symbol), levels are
    /// held and searched by integer keys, and their decimals rebuilt on reading; the first price that breaks this
    /// switches the side to decimal prices and compares until it is cleared. A key is the mantissa on the ask side and
    /// its complement on the bid side, so that on both sides a better price has a smaller key, and 0 is never a key:
    /// unused slots hold 0 and drop out of every count.
    /// </summary>
    private bool _uniform = true;
    private int _scale = -1;

    internal BookSide(bool bids)
    {
        _bids = bids;
        _blocks.Add(new Block());
    }

    /// <summary>Gets a value indicating whether this is the bid side (best = highest price).</summary>
    public bool IsBids => _bids;

    /// <summary>Gets the number of levels.</summary>
    public int Count => _count;

    /// <summary>Gets the level at a rank from the top: 0 is the best. Costs one step per block above it.</summary>
    /// <param name="rank">0 to <see cref="Count"/> - 1.</param>
    public PriceLevel this[int rank]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(rank);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(rank, _count);
            for (int b = _blocks.Count - 1; ; b--)
            {
                Block block = _blocks[b];
                if (rank < block.Count)
                {
                    return LevelAt(block, block.Count - 1 - rank);
                }

                rank -= block.Count;
            }
        }
    }

    /// <summary>Gets the best level.</summary>
    /// <param name="level">The best level, when there is one.</param>
    /// <returns>False on an empty side.</returns>
    public bool TryGetBest(out PriceLevel level)
    {
        Block top = _blocks[^1];
        if (top.Count == 0)
        {
            level = default;
            return false;
        }

        level = LevelAt(top, top.Count - 1);
        return true;
    }

    /// <summary>Sets the absolute quantity at a price; 0 removes the level (removing an absent level is normal).</summary>
    /// <param name="price">The price.</param>
    /// <param name="quantity">The quantity.</param>
    internal void Set(decimal price, decimal quantity)
    {
        ulong key = KeyOf(price);
        int b = FindBlock(price, key);
        Block block = _blocks[b];

        // i: the last index in the block whose price is not better than `price` (-1 when all are better).
        int i = FindNotBetter(block, price, key);
        bool found = i >= 0 && (_uniform ? block.Keys[i] == key : block.Prices[i] == price);
        if (IsZero(quantity))
        {
            if (found)
            {
                block.RemoveAt(i, _uniform);
                _count--;
                if (block.Count == 0 && _blocks.Count > 1)
                {
                    RemoveBlock(b);
                }
                else if (i == 0)
                {
                    _firsts[b] = block.Keys[0];
                }
            }

            return;
        }

        if (found)
        {
            block.Quantities[i] = quantity;
            return;
        }

        int at = i + 1;
        if (block.Count == BlockSize)
        {
            // Split: the better half moves to a new block just above this one.
            Block upper = _free.Count > 0 ? _free.Pop() : new Block();
            block.MoveUpperHalfTo(upper, _uniform);
            InsertBlock(b + 1, upper);
            if (at > block.Count)
            {
                at -= block.Count;
                block = upper;
                b++;
            }
        }

        block.InsertAt(at, key, price, quantity, _uniform);
        if (at == 0)
        {
            _firsts[b] = key;
        }

        _count++;
    }

    internal void Clear()
    {
        for (int b = _blocks.Count - 1; b > 0; b--)
        {
            _blocks[b].Reset();
            _free.Push(_blocks[b]);
            _blocks.RemoveAt(b);
        }

        _blocks[0].Reset();
        Array.Clear(_firsts);
        _count = 0;
        _uniform = true;
        _scale = -1;
    }

    /// <summary>Replaces the side with a snapshot's levels; sent best first, so they are added worst first, each on top.</summary>
    internal void Load(ReadOnlySpan<PriceLevel> levels)
    {
        Clear();
        for (int k = levels.Length - 1; k >= 0; k--)
        {
            Set(levels[k].Price, levels[k].Quantity);
        }
    }

    private PriceLevel LevelAt(Block block, int i) =>
        new(_uniform ? PriceOf(block.Keys[i]) : block.Prices[i], block.Quantities[i]);

    private decimal PriceOf(ulong key)
    {
        ulong mantissa = _bids ? ~key : key;
        return new decimal((int)mantissa, (int)(mantissa >> 32), 0, false, (byte)_scale);
    }

    /// <summary>How many of the first <paramref name="n"/> keys are at least <paramref name="key"/> (not better): they come first.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int CountNotBetter(ulong[] keys, int n, ulong key)
    {
        // Slots from n up to the next multiple of 4 hold 0, which is never >= a key.
        var k = Vector256.Create(key);
        ref ulong first = ref keys[0];
        int count = 0;
        for (int i = 0; i < n; i += 4)
        {
            Vector256<ulong> v = Vector256.LoadUnsafe(ref first, (nuint)i);
            count += BitOperations.PopCount(Vector256.GreaterThanOrEqual(v, k).ExtractMostSignificantBits());
        }

        return count;
    }

    private void InsertBlock(int at, Block block)
    {
        int n = _blocks.Count;
        if (n == _firsts.Length)
        {
            Array.Resize(ref _firsts, n * 2);
        }

        _firsts.AsSpan(at, n - at).CopyTo(_firsts.AsSpan(at + 1));
        _firsts[at] = block.Keys[0];
        _blocks.Insert(at, block);
    }

    private void RemoveBlock(int at)
    {
        _blocks[at].Reset();
        _free.Push(_blocks[at]);
        _blocks.RemoveAt(at);
        _firsts.AsSpan(at + 1, _blocks.Count - at).CopyTo(_firsts.AsSpan(at));
        _firsts[_blocks.Count] = 0;
    }

    /// <summary>The block a price belongs in: the last whose first (worst) level is not better than it, else the first.</summary>
    private int FindBlock(decimal price, ulong key)
    {
        int last = _blocks.Count - 1;
        if (!_uniform)
        {
            return FindBlockSlow(price, last);
        }

        // The top of the book is the common case: the last block.
        ulong[] firsts = _firsts;
        if (last == 0 || firsts[last] >= key)
        {
            return last;
        }

        // Binance lists an event's levels from the best down, so the next level is usually in the block of the last
        // one or a block or two below: try those before counting over every block.
        int h = Math.Min(_hint, last - 1);
        for (int stop = Math.Max(h - 2, 0); h >= stop; h--)
        {
            if (firsts[h] >= key)
            {
                if (firsts[h + 1] < key)
                {
                    _hint = h;
                    return h;
                }

                break;
            }
        }

        _hint = Math.Max(CountNotBetter(firsts, last, key) - 1, 0);
        return _hint;
    }

    private int FindBlockSlow(decimal price, int last)
    {
        int lo = 0;
        int hi = last;
        while (lo <= hi)
        {
            int mid = (int)((uint)(lo + hi) >> 1);
            decimal first = _blocks[mid].Count == 0 ? price : _blocks[mid].Prices[0];
            if (_bids ? first > price : first < price)
            {
                hi = mid - 1;
            }
            else
            {
                lo = mid + 1;
            }
        }

        return Math.Max(hi, 0);
    }

    private int FindNotBetter(Block block, decimal price, ulong key)
    {
        if (_uniform)
        {
            return CountNotBetter(block.Keys, block.Count, key) - 1;
        }

        int lo = 0;
        int hi = block.Count - 1;
        while (lo <= hi)
        {
            int mid = (int)((uint)(lo + hi) >> 1);
            if (_bids ? block.Prices[mid] > price : block.Prices[mid] < price)
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

    /// <summary>The price's mantissa while the side is uniform; the first price of another scale (or a wider mantissa) ends that.</summary>
    private ulong KeyOf(decimal price)
    {
        if (_uniform)
        {
            if (DecimalParts.TryGetSmall(price, out ulong mantissa, out int scale) && (scale == _scale || _scale < 0) && mantissa != 0 && mantissa != ulong.MaxValue)
            {
                _scale = scale;
                return _bids ? ~mantissa : mantissa;
            }

            LeaveUniform();
        }

        return 0;
    }

    /// <summary>Rebuilds every held price as a decimal, once: from here on prices are compared as decimals.</summary>
    private void LeaveUniform()
    {
        foreach (Block block in _blocks)
        {
            for (int i = 0; i < block.Count; i++)
            {
                block.Prices[i] = PriceOf(block.Keys[i]);
            }
        }

        _uniform = false;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsZero(decimal quantity) => DecimalParts.TryGetSmall(quantity, out ulong mantissa, out _) ? mantissa == 0 : quantity == 0m;

    /// <summary>Up to <see cref="BlockSize"/> consecutive levels, worst first: keys while the side is uniform, else prices.</summary>
    private sealed class Block
    {
        public ulong[] Keys { get; } = new ulong[BlockSize];

        public decimal[] Prices { get; } = new decimal[BlockSize];

        public decimal[] Quantities { get; } = new decimal[BlockSize];

        public int Count { get; set; }

        public void Reset()
        {
            Array.Clear(Keys);
            Count = 0;
        }

        public void RemoveAt(int i, bool uniform)
        {
            int above = Count - i - 1;
            if (uniform)
            {
                Keys.AsSpan(i + 1, above).CopyTo(Keys.AsSpan(i));
                Keys[Count - 1] = 0;
            }
            else
            {
                Prices.AsSpan(i + 1, above).CopyTo(Prices.AsSpan(i));
            }

            Quantities.AsSpan(i + 1, above).CopyTo(Quantities.AsSpan(i));
            Count--;
        }

        public void InsertAt(int at, ulong key, decimal price, decimal quantity, bool uniform)
        {
            int move = Count - at;
            if (uniform)
            {
                Keys.AsSpan(at, move).CopyTo(Keys.AsSpan(at + 1));
                Keys[at] = key;
            }
            else
            {
                Prices.AsSpan(at, move).CopyTo(Prices.AsSpan(at + 1));
                Prices[at] = price;
            }

            Quantities.AsSpan(at, move).CopyTo(Quantities.AsSpan(at + 1));
            Quantities[at] = quantity;
            Count++;
        }

        public void MoveUpperHalfTo(Block upper, bool uniform)
        {
            int keep = Count / 2;
            int moved = Count - keep;
            if (uniform)
            {
                Keys.AsSpan(keep, moved).CopyTo(upper.Keys);
                Keys.AsSpan(keep, moved).Clear();
            }
            else
            {
                Prices.AsSpan(keep, moved).CopyTo(upper.Prices);
            }

            Quantities.AsSpan(keep, moved).CopyTo(upper.Quantities);
            upper.Count = moved;
            Count = keep;
        }
    }
}
