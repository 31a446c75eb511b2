using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace RxFeed.Parsing;

/// <summary>
/// The common shape of a Binance price: non-negative with a mantissa that fits 64 bits. Comparing and adding two such
/// values of one scale is plain integer work, where <see cref="decimal"/>'s own operators take a general path per call.
/// </summary>
internal static class DecimalParts
{
    /// <summary>Whether <see cref="decimal"/> is laid out as .NET lays it out today (flags, high 32 bits, low 64 bits), checked once against <see cref="decimal.GetBits(decimal)"/>.</summary>
    private static readonly bool LayoutKnown = CheckLayout(-79228162514264.337593543950335m) && CheckLayout(2683.80000000m);

    /// <summary>Gets the mantissa and scale of a non-negative decimal whose mantissa fits 64 bits.</summary>
    /// <param name="value">The value.</param>
    /// <param name="mantissa">Its integer mantissa.</param>
    /// <param name="scale">Its scale (0 to 28).</param>
    /// <returns>False for a negative value or a mantissa of more than 64 bits.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryGetSmall(decimal value, out ulong mantissa, out int scale)
    {
        if (LayoutKnown)
        {
            // Read in place: decimal.GetBits is a call on every price, twice per frame in the rules and the sums.
            ref Layout parts = ref Unsafe.As<decimal, Layout>(ref value);
            mantissa = parts.Low;
            scale = (parts.Flags >> 16) & 0xFF;
            return parts.High == 0 && parts.Flags >= 0;
        }

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

    private static bool CheckLayout(decimal probe)
    {
        int[] bits = decimal.GetBits(probe);
        ref Layout parts = ref Unsafe.As<decimal, Layout>(ref probe);
        return BitConverter.IsLittleEndian && Unsafe.SizeOf<Layout>() == sizeof(decimal) &&
            parts.Flags == bits[3] && parts.High == (uint)bits[2] && parts.Low == ((uint)bits[0] | ((ulong)(uint)bits[1] << 32));
    }

    [StructLayout(LayoutKind.Sequential)]
    private readonly struct Layout
    {
        public readonly int Flags;
        public readonly uint High;
        public readonly ulong Low;
    }

    [InlineArray(4)]
    private struct Bits
    {
        private int _element;
    }
}
