using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using RxFeed.Parsing;
using RxFeed.Replay;

namespace RxFeed.Benchmarks;

/// <summary>
/// The floors `tools/bench-replay.sh` holds <c>rxfeed replay</c> to, timed inside one process (start-up excluded; the script
/// adds an empty <c>rxfeed --version</c>):
/// <c>RxFeed.Benchmarks floor FILE</c> — reading the file in 1 MB blocks to nothing, then the parse benchmark's loop
/// (<see cref="ParseBenchmarks.RxFeedParseValidate"/>: <see cref="FrameParser.Parse(string?, long)"/> and the rules) over
/// every frame of the file, preloaded in batches so only the loop is timed;
/// <c>RxFeed.Benchmarks gunzip FILE.gz</c> — <see cref="GZipStream"/> decoding the file to nothing.
/// Both print one JSON line of seconds.
/// </summary>
internal static class ReplayFloor
{
    private const int Batch = 1 << 16;

    public static int Run(string[] args)
    {
        if (args.Length != 2 || !File.Exists(args[1]))
        {
            Console.Error.WriteLine("usage: RxFeed.Benchmarks floor FILE | gunzip FILE.gz");
            return 2;
        }

        return args[0] == "gunzip" ? Gunzip(args[1]) : Floor(args[1]);
    }

    private static int Floor(string path)
    {
        var read = Stopwatch.StartNew();
        long bytes = 0;
        using (var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 0, FileOptions.SequentialScan))
        {
            byte[] block = new byte[1 << 20];
            int n;
            while ((n = file.Read(block)) > 0)
            {
                bytes += n;
            }
        }

        read.Stop();

        // The parse loop of ParseBenchmarks over this file's frames, each batch loaded as strings first (not timed), so
        // the figure is the parser's own cost per frame times the frames, as the benchmark measures it.
        var parser = new FrameParser();
        var frames = new List<string>(Batch);
        var ns = new List<long>(Batch);
        long frameCount = 0;
        long sum = 0;
        TimeSpan parse = TimeSpan.Zero;
        using RecordingCursor cursor = RecordingCursor.OpenFile(path);
        bool more = true;
        while (more)
        {
            frames.Clear();
            ns.Clear();
            while (frames.Count < Batch && (more = cursor.MoveNext()))
            {
                frames.Add(cursor.Text.ToString());
                ns.Add(cursor.ReceivedNs ?? 0);
            }

            long start = Stopwatch.GetTimestamp();
            for (int i = 0; i < frames.Count; i++)
            {
                FeedFrame f = parser.Parse(frames[i], ns[i]);
                BookTickerRules.ValidateAndFlag(ref f);
                sum += f.Class == FrameClass.BookTicker ? f.Ticker.UpdateId + (f.Ticker.IsInverted ? 1 : 0) : -1;
            }

            parse += Stopwatch.GetElapsedTime(start);
            frameCount += frames.Count;
        }

        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{{\"bytes\":{bytes},\"frames\":{frameCount},\"readSeconds\":{read.Elapsed.TotalSeconds:0.0000},\"parseSeconds\":{parse.TotalSeconds:0.0000},\"checksum\":{sum}}}"));
        return 0;
    }

    private static int Gunzip(string path)
    {
        var time = Stopwatch.StartNew();
        long bytes = 0;
        using (var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan))
        using (var gz = new GZipStream(file, CompressionMode.Decompress))
        {
            byte[] block = new byte[1 << 20];
            int n;
            while ((n = gz.Read(block)) > 0)
            {
                bytes += n;
            }
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{{\"bytes\":{bytes},\"gunzipSeconds\":{time.Elapsed.TotalSeconds:0.0000}}}"));
        return 0;
    }
}
