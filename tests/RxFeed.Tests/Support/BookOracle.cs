using System.Globalization;
using System.Text.Json;

namespace RxFeed.Tests.Support;

/// <summary>
/// An independent recomputation of Binance's spot local-book procedure over recorded lines, sharing no code with the
/// product: System.Text.Json for parsing, plain dictionaries for the levels, a sort for the top. Slow and obvious on purpose.
/// </summary>
internal sealed class BookOracle
{
    private readonly Dictionary<decimal, decimal> _bids = [];
    private readonly Dictionary<decimal, decimal> _asks = [];
    private readonly List<JsonElement> _buffer = [];
    private JsonElement? _pendingSnapshot;
    private long _id;
    private bool _synced;

    /// <summary>Gets one entry per applied event: the line index that applied it, <c>u</c>, and the top levels.</summary>
    public List<(int Line, long U, string Top)> Applied { get; } = [];

    /// <summary>Gets the line indexes of the events at which a gap was found.</summary>
    public List<int> GapLines { get; } = [];

    public long Dropped { get; private set; }

    public long Events { get; private set; }

    /// <summary>Runs the lines (timestamped frames) through the procedure, keeping the top <paramref name="levels"/> after each applied event.</summary>
    public static BookOracle Run(IReadOnlyList<string> lines, int levels)
    {
        var o = new BookOracle();
        for (int i = 0; i < lines.Count; i++)
        {
            string frame = Frames.FrameOf(lines[i]);
            using JsonDocument doc = JsonDocument.Parse(frame);
            JsonElement root = doc.RootElement.Clone();
            if (root.TryGetProperty("lastUpdateId", out _))
            {
                o._pendingSnapshot = root;
                continue;
            }

            if (!root.TryGetProperty("stream", out JsonElement stream) || !stream.GetString()!.Contains("@depth", StringComparison.Ordinal))
            {
                continue;
            }

            JsonElement data = root.GetProperty("data");
            o.Events++;
            if (o._pendingSnapshot is JsonElement snap)
            {
                o._pendingSnapshot = null;
                o.Snapshot(snap, i, levels);
            }

            if (!o._synced)
            {
                o._buffer.Add(data);
                continue;
            }

            o.Event(data, i, levels);
        }

        return o;
    }

    /// <summary>The top levels as one comparable string: <c>b p q|... / a p q|...</c> with exact decimals.</summary>
    public static string Top(IEnumerable<(decimal P, decimal Q)> bids, IEnumerable<(decimal P, decimal Q)> asks) =>
        string.Join("|", bids.Select(l => Fmt(l.P) + " " + Fmt(l.Q))) + " / " + string.Join("|", asks.Select(l => Fmt(l.P) + " " + Fmt(l.Q)));

    private static string Fmt(decimal d) => d.ToString(CultureInfo.InvariantCulture);

    private void Snapshot(JsonElement snap, int line, int levels)
    {
        long last = snap.GetProperty("lastUpdateId").GetInt64();
        _buffer.RemoveAll(e =>
        {
            bool old = e.GetProperty("u").GetInt64() <= last;
            Dropped += old ? 1 : 0;
            return old;
        });
        _bids.Clear();
        _asks.Clear();
        Load(_bids, snap.GetProperty("bids"));
        Load(_asks, snap.GetProperty("asks"));
        _id = last;
        _synced = true;
        var buffered = _buffer.ToList();
        _buffer.Clear();
        foreach (JsonElement e in buffered)
        {
            if (_synced)
            {
                Event(e, line, levels);
            }
        }
    }

    private void Event(JsonElement e, int line, int levels)
    {
        long first = e.GetProperty("U").GetInt64();
        long final = e.GetProperty("u").GetInt64();
        if (final <= _id)
        {
            Dropped++;
            return;
        }

        if (first > _id + 1)
        {
            GapLines.Add(line);
            _synced = false;
            _buffer.Add(e);
            return;
        }

        Load(_bids, e.GetProperty("b"));
        Load(_asks, e.GetProperty("a"));
        _id = final;
        var bids = _bids.OrderByDescending(kv => kv.Key).Take(levels).Select(kv => (kv.Key, kv.Value));
        var asks = _asks.OrderBy(kv => kv.Key).Take(levels).Select(kv => (kv.Key, kv.Value));
        Applied.Add((line, final, Top(bids, asks)));
    }

    private static void Load(Dictionary<decimal, decimal> side, JsonElement levels)
    {
        foreach (JsonElement level in levels.EnumerateArray())
        {
            decimal p = decimal.Parse(level[0].GetString()!, CultureInfo.InvariantCulture);
            decimal q = decimal.Parse(level[1].GetString()!, CultureInfo.InvariantCulture);
            if (q == 0)
            {
                side.Remove(p);
            }
            else
            {
                side[p] = q;
            }
        }
    }
}
