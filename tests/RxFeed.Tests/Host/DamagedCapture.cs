using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using RxFeed.Tests.Support;

namespace RxFeed.Tests.Host;

/// <summary>
/// A damaged copy of the shared capture whose true summary is known by construction: every damage is applied
/// to a known line, so the expected count of each class follows from the recipe, not from running the code.
/// </summary>
internal sealed partial class DamagedCapture
{
    private static readonly string[] BadPrices = ["-1", "0", ".5", "5.", "+1", "1e3", " 1", "79228162514264337593543950336", "0.00000000000000000000000000001", "0.0", "", "1,5"];

    private static readonly string[] ControlFrames =
    [
        """{"result":null,"id":1}""", """{"code":2,"msg":"Invalid request"}""", """{"error":{"code":3,"msg":"Invalid JSON"},"id":4}""",
        """{"e":"serverShutdown","E":1723161254000}""", """{"stream":"!serverShutdown","data":{"e":"serverShutdown","E":1}}""",
    ];

    private long _other, _control, _invalid, _malformed, _outOfOrder, _depth, _trades, _snapshots;

    public List<byte[]> Lines { get; } = [];

    public long NonBlank { get; private set; }

    public long BookTickers { get; private set; }

    public long Inverted { get; private set; }

    public long Invalid => _invalid;

    public long Malformed => _malformed;

    public long OutOfOrder => _outOfOrder;

    public long Other => _other;

    public long Depth => _depth;

    public long Trades => _trades;

    public long Snapshots => _snapshots;

    public long Control => _control;

    public long LastUpdateId { get; private set; }

    public decimal BidSum { get; private set; }

    public decimal AskSum { get; private set; }

    public static DamagedCapture Build(int take)
    {
        var d = new DamagedCapture();
        var random = new Random(808);
        string? lastDelivered = null;
        int ticker = 0, nonTicker = 0;
        foreach (string line in Frames.Capture.Take(take))
        {
            string ts = line[..line.IndexOf(' ', StringComparison.Ordinal)];
            string frame = Frames.FrameOf(line);
            if (!frame.Contains("@bookTicker", StringComparison.Ordinal))
            {
                // The capture's other streams are depth diffs, trades and one REST snapshot: each has its own count now.
                if (frame.Contains("@depth", StringComparison.Ordinal))
                {
                    d.Add(line, ref d._depth);
                }
                else if (frame.Contains("@trade", StringComparison.Ordinal))
                {
                    d.Add(line, ref d._trades);
                }
                else if (frame.StartsWith("{\"lastUpdateId\"", StringComparison.Ordinal))
                {
                    d.Add(line, ref d._snapshots);
                }
                else
                {
                    d.Add(line, ref d._other);
                }
                if (++nonTicker % 40 == 0)
                {
                    d.AddGarbage(random);
                    d.Lines.Add([]);
                    d.Lines.Add(" \t \r"u8.ToArray());
                    d.Add($"{ts} {ControlFrames[nonTicker / 40 % ControlFrames.Length]}", ref d._control);
                }

                continue;
            }

            switch (++ticker % 14)
            {
                case 1: // a duplicate right after
                    d.Deliver(line, frame);
                    d.Add(line, ref d._outOfOrder);
                    lastDelivered = line;
                    break;
                case 2: // a bad price or size
                    string bad = BadPrices[ticker / 14 % BadPrices.Length];
                    string field = bad is "0" or "0.0" ? "ba"[ticker / 14 % 2].ToString() : "bBaA"[ticker / 14 % 4].ToString(); // a size may be 0
                    d.Add(ts + " " + Regex.Replace(frame, $"\"{field}\":\"[0-9.]+\"", $"\"{field}\":\"{bad}\""), ref d._invalid);
                    break;
                case 3: // u as a string
                    d.Add(ts + " " + UField().Replace(frame, "\"u\":\"$1\""), ref d._invalid);
                    break;
                case 4: // the raw /ws form, unwrapped from its envelope
                    string raw = frame[(frame.IndexOf("\"data\":", StringComparison.Ordinal) + 7)..^1];
                    d.Deliver($"{ts} {raw}", raw);
                    lastDelivered = line;
                    break;
                case 5: // truncated
                    d.Add(line[..(ts.Length + 1 + (frame.Length / 2))], ref d._malformed);
                    break;
                case 6: // a bare frame, no timestamp
                    d.Deliver(frame, frame);
                    lastDelivered = line;
                    break;
                case 7: // CRLF
                    d.Deliver(line + "\r", frame);
                    lastDelivered = line;
                    break;
                case 8: // an older frame replayed after this one
                    d.Deliver(line, frame);
                    if (lastDelivered is not null)
                    {
                        d.Add(lastDelivered, ref d._outOfOrder);
                    }

                    lastDelivered = line;
                    break;
                case 9: // inverted: ask = bid
                    string bid = BField().Match(frame).Groups[1].Value;
                    string inverted = AField().Replace(frame, $"\"a\":\"{bid}\"");
                    d.Deliver($"{ts} {inverted}", inverted);
                    lastDelivered = line;
                    break;
                case 10: // a read key repeated in the payload
                    d.Add(ts + " " + frame.Replace("{\"u\":", "{\"s\":\"ETHUSDT\",\"u\":", StringComparison.Ordinal), ref d._malformed);
                    break;
                case 11: // garbage with invalid UTF-8 in place of the frame
                    d.Lines.Add([.. Encoding.UTF8.GetBytes(ts + " {\"stream\":\"ethusdt@bookTicker\",\"data\":{\"s\":\""), 0xFF, 0xFE, .. "\"}}"u8]);
                    d.NonBlank++;
                    d._malformed++;
                    break;
                default:
                    d.Deliver(line, frame);
                    lastDelivered = line;
                    break;
            }
        }

        return d;
    }

    private void Add(string line, ref long counter)
    {
        Lines.Add(Encoding.UTF8.GetBytes(line));
        NonBlank++;
        counter++;
    }

    private void Deliver(string line, string frame)
    {
        Lines.Add(Encoding.UTF8.GetBytes(line));
        NonBlank++;
        BookTickers++;
        decimal bid = Dec(BField().Match(frame).Groups[1].Value);
        decimal ask = Dec(AField().Match(frame).Groups[1].Value);
        if (bid >= ask)
        {
            Inverted++;
        }

        BidSum += bid;
        AskSum += ask;
        LastUpdateId = long.Parse(UField().Match(frame).Groups[1].Value, CultureInfo.InvariantCulture);
    }

    private void AddGarbage(Random random)
    {
        byte[] garbage = new byte[random.Next(10, 200)];
        random.NextBytes(garbage);
        for (int i = 0; i < garbage.Length; i++)
        {
            if (garbage[i] == (byte)'\n')
            {
                garbage[i] = 0xFF;
            }
        }

        garbage[0] = (byte)'#'; // never blank, never a valid frame
        Lines.Add(garbage);
        NonBlank++;
        _malformed++;
    }

    private static decimal Dec(string s) => decimal.Parse(s, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);

    /// <summary>The file bytes: lines joined by <c>\n</c>, the last one without a newline.</summary>
    public byte[] Bytes(int from = 0, int? to = null)
    {
        var bytes = new List<byte>();
        int end = to ?? Lines.Count;
        for (int i = from; i < end; i++)
        {
            bytes.AddRange(Lines[i]);
            if (i < end - 1)
            {
                bytes.Add((byte)'\n');
            }
        }

        return [.. bytes];
    }

    [GeneratedRegex("\"u\":([0-9]+)")]
    private static partial Regex UField();

    [GeneratedRegex("\"b\":\"([0-9.]+)\"")]
    private static partial Regex BField();

    [GeneratedRegex("\"a\":\"([0-9.]+)\"")]
    private static partial Regex AField();
}
