using System.IO.Compression;

namespace RxFeed.Benchmarks;

/// <summary>The shared capture's lines, split into receive time and frame text, loaded once per benchmark process.</summary>
internal static class CaptureLines
{
    /// <summary>The capture, relative to the repository root.</summary>
    public const string RelativePath = "tests/data/binance-spot-ethusdt-20240808.txt.gz";

    /// <summary>Loads every non-blank line of the capture as (receive ns, frame).</summary>
    /// <returns>The lines in file order.</returns>
    public static (long[] ReceivedNs, string[] Frames) LoadAll()
    {
        var ns = new List<long>(40_000);
        var frames = new List<string>(40_000);
        using var file = File.OpenRead(Locate());
        using var gz = new GZipStream(file, CompressionMode.Decompress);
        using var reader = new StreamReader(gz);
        while (reader.ReadLine() is { } line)
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            int space = line.IndexOf(' ');
            if (space <= 0 || !long.TryParse(line.AsSpan(0, space), out long t))
            {
                throw new InvalidDataException($"capture line without a receive time: {line[..Math.Min(80, line.Length)]}");
            }

            ns.Add(t);
            frames.Add(line[(space + 1)..]);
        }

        return (ns.ToArray(), frames.ToArray());
    }

    /// <summary>Picks <paramref name="count"/> book-ticker frames spread evenly over the whole capture.</summary>
    /// <param name="count">How many.</param>
    /// <returns>The frames and their receive times.</returns>
    public static (long[] ReceivedNs, string[] Frames) BookTickers(int count)
    {
        var (ns, frames) = LoadAll();
        int[] idx = Enumerable.Range(0, frames.Length).Where(i => frames[i].Contains("@bookTicker\"", StringComparison.Ordinal)).ToArray();
        if (idx.Length < count)
        {
            throw new InvalidDataException($"the capture has {idx.Length} book tickers, fewer than {count}");
        }

        var pickNs = new long[count];
        var pick = new string[count];
        for (int i = 0; i < count; i++)
        {
            int j = idx[(int)((long)i * idx.Length / count)];
            pickNs[i] = ns[j];
            pick[i] = frames[j];
        }

        return (pickNs, pick);
    }

    // BenchmarkDotNet runs each benchmark from a generated project deep under bin/, so walk up to the repository root.
    private static string Locate()
    {
        string? env = Environment.GetEnvironmentVariable("RXFEED_CAPTURE");
        if (!string.IsNullOrEmpty(env))
        {
            return env;
        }

        foreach (string start in new[] { AppContext.BaseDirectory, Environment.CurrentDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                string candidate = Path.Combine(dir.FullName, RelativePath);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        throw new FileNotFoundException($"{RelativePath} not found above {AppContext.BaseDirectory}; set RXFEED_CAPTURE");
    }
}
