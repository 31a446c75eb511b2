using System.IO.Compression;
using System.Text;
using RxFeed.Parsing;
using RxFeed.Replay;
using RxFeed.Tests.Support;

namespace RxFeed.Tests.Replay;

/// <summary>The replay file format of host-cli.md: lines, timestamps, blanks, encodings, files.</summary>
public sealed class RecordingReaderTests : TempDirectory
{
    private static List<RecordedFrame> Read(byte[] bytes) => RecordingReader.Read(new MemoryStream(bytes)).ToList();

    private static List<RecordedFrame> Read(string text) => Read(Encoding.UTF8.GetBytes(text));

    [Fact]
    public void Read_TimestampedLines_SplitTimeAndFrame()
    {
        Read("1723161254024619568 {\"a\":1}\n2 {\"b\": 2}\n").Should().Equal(
            new RecordedFrame(1723161254024619568, "{\"a\":1}"), new RecordedFrame(2, "{\"b\": 2}"));
    }

    [Fact]
    public void Read_CrLf_DropsOnlyTheCrBeforeTheNewline()
    {
        Read("1 {}\r\n2 {\"a\":\r1}\r\n3 {}\r\r\n{}\r\n").Should().Equal(
            new RecordedFrame(1, "{}"), new RecordedFrame(2, "{\"a\":\r1}"), new RecordedFrame(3, "{}\r"), new RecordedFrame(null, "{}"));
    }

    [Fact]
    public void Read_LoneCrInsideAFrame_IsPartOfTheFrameAndJsonWhitespace()
    {
        RecordedFrame f = Read("5 {\"u\":400900217,\r\"s\":\"BNBUSDT\",\"b\":\"25.3519\",\"B\":\"31.21\",\"a\":\"25.3652\",\"A\":\"40.66\"}\r\n").Single();
        f.ReceivedNs.Should().Be(5);
        f.Text.Should().Contain("\r").And.NotEndWith("\r");
        Frames.Classify(f.Text).Class.Should().Be(FrameClass.BookTicker);
    }

    [Theory]
    [InlineData("1", 1L)]
    [InlineData("0", 0L)]
    [InlineData("000000000000000000042", null)] // 21 digits: a bare frame
    [InlineData("00000000000000000042", 42L)] // 20 digits
    [InlineData("1723161254024619568", 1723161254024619568L)] // 19 digits
    [InlineData("09223372036854775807", long.MaxValue)]
    [InlineData("9223372036854775807", long.MaxValue)]
    [InlineData("123456789012345678901", null)]
    public void Read_TimestampDigits_OneToTwentyAreATime(string digits, long? expected)
    {
        RecordedFrame f = Read($"{digits} {{}}\n").Single();
        f.ReceivedNs.Should().Be(expected);
        f.Text.Should().Be(expected is null ? $"{digits} {{}}" : "{}");
    }

    [Fact]
    public void Read_TwentyDigitTimeAboveLongRange_IsStillATime()
    {
        RecordedFrame f = Read("99999999999999999999 {}\n").Single();
        f.ReceivedNs.Should().NotBeNull();
        f.Text.Should().Be("{}");
    }

    [Theory]
    [InlineData("{\"u\":1}", null, "{\"u\":1}")]
    [InlineData("123", null, "123")]
    [InlineData("123 ", 123L, "")]
    [InlineData("123  {}", 123L, " {}")]
    [InlineData("123\t{}", null, "123\t{}")]
    [InlineData("12a {}", null, "12a {}")]
    [InlineData(" 12 {}", null, " 12 {}")]
    [InlineData("-1 {}", null, "-1 {}")]
    public void Read_LinesThatAreNotTimeSpaceFrame_AreBareFrames(string line, long? ns, string text)
    {
        Read(line + "\n").Should().Equal(new RecordedFrame(ns, text));
    }

    [Fact]
    public void Read_BlankLines_AreSkipped()
    {
        Read("\n\n   \n\t\r\n\r\n1 {}\n \n").Should().Equal(new RecordedFrame(1, "{}"));
        Read(string.Empty).Should().BeEmpty();
        Read("\n").Should().BeEmpty();
    }

    [Fact]
    public void Read_LastLineWithoutNewline_IsRead()
    {
        Read("1 {}\n2 {\"x\":1}").Should().Equal(new RecordedFrame(1, "{}"), new RecordedFrame(2, "{\"x\":1}"));
        Read("2 {\"x\":1}\r").Single().Text.Should().StartWith("{\"x\":1}");
    }

    [Fact]
    public void Read_InvalidUtf8_IsKeptVisibleAndTheFrameIsMalformed()
    {
        byte[] inString = [.. "1 {\"s\":\""u8, 0xFF, 0xC3, .. "\"}\n"u8];
        RecordedFrame f = Read(inString).Single();
        f.ReceivedNs.Should().Be(1);
        f.Text.Should().NotContain("\ufffd");
        Frames.Classify(f.Text).Should().Match<FeedFrame>(x => x.Class == FrameClass.Malformed && x.Fault == FrameFault.InvalidUnicode);

        // Overlong, surrogate code point, truncated 4-byte sequence: all invalid UTF-8.
        foreach (byte[] bad in new[] { new byte[] { 0xC0, 0xAF }, [0xED, 0xA0, 0x80], [0xF0, 0x9F, 0x98], [0x80] })
        {
            byte[] line = [.. "7 {\"stream\":\"x@bookTicker\",\"data\":{\"u\":1,\"s\":\"A"u8, .. bad, .. "\",\"b\":\"1\",\"B\":\"1\",\"a\":\"2\",\"A\":\"1\"}}"u8];
            Frames.Classify(Read(line).Single().Text).Class.Should().Be(FrameClass.Malformed, BitConverter.ToString(bad));
        }

        byte[] outside = [.. "1 {\"s\":1"u8, 0xFE, .. "}"u8];
        Frames.Classify(Read(outside).Single().Text).Class.Should().Be(FrameClass.Malformed);
    }

    [Fact]
    public void Read_ValidMultiByteUtf8_IsDecoded()
    {
        Read("1 {\"s\":\"Δ€😀\"}\n").Single().Text.Should().Be("{\"s\":\"Δ€😀\"}");
    }

    [Fact]
    public void Read_LineLongerThanTheBuffer_IsReadWhole()
    {
        string big = "{\"x\":\"" + new string('a', 3 * 1024 * 1024 + 17) + "\"}";
        Read($"1 {{}}\n2 {big}\n3 {{}}").Should().Equal(new RecordedFrame(1, "{}"), new RecordedFrame(2, big), new RecordedFrame(3, "{}"));
    }

    [Fact]
    public void Cursor_ReusesItsBuffers_AndGivesTheSameFramesAsRead()
    {
        var text = new StringBuilder();
        for (int i = 0; i < 5_000; i++)
        {
            // Lines from 3 to ~12,000 chars, so the char buffer has to grow more than once, and some invalid UTF-8.
            text.Append(i).Append(" {\"pad\":\"").Append((char)('a' + (i % 26)), (i * 37) % 12_000).Append("\"}\n");
            if (i % 1_000 == 7)
            {
                text.Append("\n  \r\n");
            }
        }

        byte[] bytes = [.. Encoding.UTF8.GetBytes(text.ToString()), .. "9 {\"x\":\""u8, 0xFF, .. "\"}"u8];
        List<RecordedFrame> expected = Read(bytes);

        using var cursor = new RecordingCursor(new TrickleStream(bytes));
        var seen = new List<RecordedFrame>();
        while (cursor.MoveNext())
        {
            seen.Add(new RecordedFrame(cursor.ReceivedNs, cursor.Text.ToString()));
        }

        cursor.MoveNext().Should().BeFalse("the end stays the end");
        seen.Should().Equal(expected);
        seen.Should().HaveCount(5_001);
        seen[^1].Text.Should().Be("{\"x\":\"\uDCFF\"}");
    }

    [Fact]
    public void Cursor_Dispose_ClosesTheStreamUnlessLeftOpen()
    {
        var owned = new MemoryStream("1 {}\n"u8.ToArray());
        new RecordingCursor(owned).Dispose();
        owned.CanRead.Should().BeFalse();

        var kept = new MemoryStream("1 {}\n"u8.ToArray());
        new RecordingCursor(kept, leaveOpen: true).Dispose();
        kept.CanRead.Should().BeTrue();
    }

    [Fact]
    public void Read_ManyLinesAcrossBufferRefills_AreReadInOrder()
    {
        var text = new StringBuilder();
        for (int i = 0; i < 60_000; i++)
        {
            text.Append(i + 1).Append(" {\"i\":").Append(i).Append(",\"pad\":\"").Append('x', i % 97).Append("\"}").Append(i % 3 == 0 ? "\r\n" : "\n");
        }

        List<RecordedFrame> frames = RecordingReader.Read(new TrickleStream(Encoding.UTF8.GetBytes(text.ToString()))).ToList();
        frames.Should().HaveCount(60_000);
        for (int i = 0; i < frames.Count; i++)
        {
            if (frames[i].ReceivedNs != i + 1 || frames[i].Text != $"{{\"i\":{i},\"pad\":\"{new string('x', i % 97)}\"}}")
            {
                Assert.Fail($"line {i}: {frames[i]}");
            }
        }
    }

    [Fact]
    public void ReadFile_GzipAndPlain_GiveTheSameFrames()
    {
        byte[] bytes = Encoding.UTF8.GetBytes("1 {}\r\n\n2 {\"a\":1}\n3 [1]");
        List<RecordedFrame> plain = RecordingReader.ReadFile(Write("a.txt", bytes)).ToList();
        List<RecordedFrame> gz = RecordingReader.ReadFile(Write("a.txt.gz", bytes, gzip: true)).ToList();
        plain.Should().Equal(new RecordedFrame(1, "{}"), new RecordedFrame(2, "{\"a\":1}"), new RecordedFrame(3, "[1]"));
        gz.Should().Equal(plain);
    }

    [Fact]
    public void ReadFile_GzipWithoutGzExtensionAndPlainStartingLikeGzip_AreDetectedByContent()
    {
        RecordingReader.ReadFile(Write("noext", "9 {}\n"u8.ToArray(), gzip: true)).Should().Equal(new RecordedFrame(9, "{}"));
        RecordingReader.ReadFile(Write("one.gz", [0x1F, (byte)'\n', .. "5 {}"u8])).Should().Equal(new RecordedFrame(null, "\u001f"), new RecordedFrame(5, "{}"));
        RecordingReader.ReadFile(Write("empty", [])).Should().BeEmpty();
    }

    [Fact]
    public void ReadFiles_SeveralFiles_AreOneStreamInOrder()
    {
        string a = Write("a", "1 {\"f\":\"a\"}\n2 {}"u8.ToArray());
        string b = Write("b.gz", "3 {\"f\":\"b\"}\n"u8.ToArray(), gzip: true);
        string c = Write("c", "\n\n"u8.ToArray());
        string d = Write("d", "{\"f\":\"d\"}"u8.ToArray());
        RecordingReader.ReadFiles([a, b, c, d, a]).Select(f => f.Text).Should().Equal("{\"f\":\"a\"}", "{}", "{\"f\":\"b\"}", "{\"f\":\"d\"}", "{\"f\":\"a\"}", "{}");
    }

    [Fact]
    public void ReadFile_TheSharedCapture_HasEveryLine()
    {
        List<RecordedFrame> frames = RecordingReader.ReadFile(Frames.CapturePath).ToList();
        frames.Should().HaveCount(33618);
        frames[0].Should().Be(new RecordedFrame(1723161254024619568, Frames.FrameOf(Frames.Capture[0])));
        frames.Should().OnlyContain(f => f.ReceivedNs > 1_700_000_000_000_000_000);
    }

    /// <summary>Hands out a few bytes per read, so lines straddle every refill of the reader's buffer.</summary>
    private sealed class TrickleStream(byte[] data) : MemoryStream(data)
    {
        private int _turn;

        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, 1 + (_turn++ * 7919 % 300_000)));
    }
}
