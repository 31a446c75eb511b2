using System.Globalization;
using System.Numerics;
using RxFeed.Parsing;

namespace RxFeed.Diagnostics;

/// <summary>
/// An exact running sum of decimals. <see cref="decimal"/> addition silently rounds once a sum needs more than 96 bits
/// of mantissa, and throws past its range; this sum switches to a big integer at scale 28 before either can happen.
/// </summary>
public sealed class ExactSum
{
    private const int BigScale = 28;
    private decimal _small;
    private BigInteger? _big;
    private int _maxScale;

    /// <summary>Adds a value exactly.</summary>
    /// <param name="value">The value.</param>
    public void Add(decimal value)
    {
        _maxScale = Math.Max(_maxScale, value.Scale);
        if (_big is null)
        {
            // The usual case, prices of one scale: add the mantissas while they fit 64 bits.
            if (DecimalParts.TryGetSmall(_small, out ulong sumMantissa, out int sumScale) && DecimalParts.TryGetSmall(value, out ulong mantissa, out int scale) &&
                sumScale == scale && sumMantissa + mantissa >= mantissa)
            {
                ulong total = sumMantissa + mantissa;
                _small = new decimal((int)total, (int)(total >> 32), 0, false, (byte)scale);
                return;
            }

            try
            {
                decimal sum = _small + value;

                // Decimal addition keeps the larger scale unless it had to round: a smaller scale means digits were lost.
                if (sum.Scale == Math.Max(_small.Scale, value.Scale))
                {
                    _small = sum;
                    return;
                }
            }
            catch (OverflowException)
            {
            }

            _big = Scaled(_small);
        }

        _big += Scaled(value);
    }

    /// <inheritdoc/>
    public override string ToString()
    {
        if (_big is not BigInteger big)
        {
            return _small.ToString(CultureInfo.InvariantCulture);
        }

        // Print at the largest scale any addend had: exact, and the same digits decimal would have shown.
        BigInteger divisor = BigInteger.Pow(10, BigScale - _maxScale);
        BigInteger atScale = BigInteger.Divide(big, divisor);
        string digits = BigInteger.Abs(atScale).ToString(CultureInfo.InvariantCulture).PadLeft(_maxScale + 1, '0');
        string sign = atScale.Sign < 0 ? "-" : string.Empty;
        return _maxScale == 0 ? sign + digits : $"{sign}{digits[..^_maxScale]}.{digits[^_maxScale..]}";
    }

    /// <summary>A copy of the sum as it is now; its fields are read one by one, so a concurrent <see cref="Add"/> must be excluded by the caller.</summary>
    /// <returns>The copy.</returns>
    internal ExactSum Copy() => new() { _small = _small, _big = _big, _maxScale = _maxScale };

    private static BigInteger Scaled(decimal value)
    {
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        var mantissa = new BigInteger((uint)bits[0]) | (new BigInteger((uint)bits[1]) << 32) | (new BigInteger((uint)bits[2]) << 64);
        int scale = (bits[3] >> 16) & 0xFF;
        mantissa *= BigInteger.Pow(10, BigScale - scale);
        return bits[3] < 0 ? -mantissa : mantissa;
    }
}
