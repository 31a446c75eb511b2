using System.Runtime.CompilerServices;

namespace RxFeed.Parsing;

/// <summary>
/// The common shape of a Binance price: non-negative with a mantissa that fits 64 bits. Comparing and adding two such
/// values of one scale is plain integer work, where <see cref="decimal"/>'s own operators take a general path per call.
/// </summary>
internal static class DecimalParts
{
    /// <summary>Gets the mantissa and scale of a non-negative decimal whose mantissa fits 64 bits.</summary>
    /// <param name="value">The value.</param>
    /// <param name="mantissa">Its integer mantissa.</param>
    /// <param name="scale">Its scale (0 to 28).</param>
    /// <returns>False for a negative value or a mantissa of more than 64 bits.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryGetSmall(decimal value, out ulong mantissa, out int scale)
    {
        Bits bits = default;
        decimal.GetBits(value, bits);
        mantissa = (uint)bits[0] | ((ulong)(uint)bits[1] << 32);
        scale = (bits[3] >> 16) & 0xFF;
        return bits[2] == 0 && bits[3] >= 0;
    }

    /// <summary>Whether <paramref name="left"/> &gt;= <paramref name="right"/>, exactly as <see cref="decimal"/> compares.</summary>
    /// <param name="left">The left value.</param>
    /// <param name="right">The right value.</param>
    /// <returns>The comparison.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool AtLeast(decimal left, decimal right) =>
        TryGetSmall(left, out ulong l, out int ls) && TryGetSmall(right, out ulong r, out int rs) && ls == rs ? l >= r : left >= right;

    [InlineArray(4)]
    private struct Bits
    {
        private int _element;
    }
}
