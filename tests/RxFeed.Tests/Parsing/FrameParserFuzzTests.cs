using System.Text;
using RxFeed.Parsing;
using RxFeed.Tests.Support;

namespace RxFeed.Tests.Parsing;

/// <summary>
/// Differential fuzzing (fixed seeds): random mutations of real frames from the shared capture. Malformed-or-not must
/// agree with System.Text.Json's strict reader, and the whole frame class with an independent reading of the contract.
/// </summary>
public class FrameParserFuzzTests
{
    private const string Alphabet = "{}[]\":,\\ .-+0123456789eEtrufalsnbBAdSU/\t\r\n\u0001\u001f\u007f\u00e9\u20ac";

    private static readonly string[] Keys = ["\"u\"", "\"s\"", "\"b\"", "\"B\"", "\"a\"", "\"A\"", "\"e\"", "\"stream\"", "\"data\"", "\"id\"", "\"result\"", "\"code\"", "\"msg\"", "\"error\"", "\"T\"", "\"\\u0073\""];

    private static readonly string[] Values =
    [
        "0", "-1", "1", "1.0", "1e3", "9223372036854775807", "9223372036854775808", "\"1\"", "\"\"", "\"0\"", "\".5\"", "\"5.\"", "\"+1\"", "\"1e3\"",
        "\" 1\"", "\"79228162514264337593543950336\"", "\"0.00000000000000000000000000001\"", "\"2683.80000000\"", "null", "true", "[]", "{}",
        "{\"u\":1,\"u\":2}", "\"bookTicker\"", "\"serverShutdown\"", "\"x@bookTicker\"", "\"!serverShutdown\"", "\"ethusdt@trade\"", "\"\\u0041\"", "\"\\ud800\"",
    ];

    private static readonly Lazy<string[]> Corpus = new(() =>
    {
        // Book tickers, trades and depth updates from the capture, plus the other shapes the contract names.
        string[] lines = Frames.Capture;
        IEnumerable<string> sample = lines.Where((_, i) => i % 97 == 0).Select(Frames.FrameOf).Where(f => f.Length < 4000);
        return
        [
            .. sample, Frames.Raw, Frames.Futures, """{"result":null,"id":1}""", """{"code":2,"msg":"Invalid request"}""",
            """{"error":{"code":3,"msg":"x"},"id":2}""", """{"e":"serverShutdown","E":1}""", """{"stream":"!serverShutdown","data":{"e":"serverShutdown"}}""",
        ];
    });

    private static string Mutate(string frame, Random r)
    {
        string s = frame;
        int rounds = r.Next(1, 4);
        for (int k = 0; k < rounds; k++)
        {
            int at = r.Next(s.Length + 1);
            switch (r.Next(9))
            {
                case 0:
                    s = s[..r.Next(s.Length + 1)];
                    break;
                case 1:
                    s = s.Insert(at, Alphabet[r.Next(Alphabet.Length)].ToString());
                    break;
                case 2 when s.Length > 0:
                    s = s.Remove(Math.Min(at, s.Length - 1), 1);
                    break;
                case 3 when s.Length > 0:
                    int i = Math.Min(at, s.Length - 1);
                    s = s[..i] + Alphabet[r.Next(Alphabet.Length)] + s[(i + 1)..];
                    break;
                case 4:
                    // Repeat a member just after the first '{' (a duplicate key, read or not).
                    int brace = s.IndexOf('{', r.Next(2) == 0 ? 0 : Math.Min(at, s.Length));
                    if (brace >= 0)
                    {
                        s = s.Insert(brace + 1, $"{Keys[r.Next(Keys.Length)]}:{Values[r.Next(Values.Length)]},");
                    }

                    break;
                case 5:
                case 6:
                    // Replace the value of a key the contract reads.
                    string key = Keys[r.Next(Keys.Length)] + ":";
                    int ki = s.IndexOf(key, StringComparison.Ordinal);
                    if (ki >= 0)
                    {
                        int vs = ki + key.Length;
                        int ve = vs;
                        if (ve < s.Length && s[ve] == '"')
                        {
                            ve = s.IndexOf('"', ve + 1) + 1;
                        }
                        else
                        {
                            while (ve < s.Length && s[ve] != ',' && s[ve] != '}')
                            {
                                ve++;
                            }
                        }

                        if (ve > vs)
                        {
                            s = s[..vs] + Values[r.Next(Values.Length)] + s[ve..];
                        }
                    }

                    break;
                case 7:
                    s = s.Insert(at, r.Next(3) switch { 0 => " ", 1 => "\r\n", _ => "\t" });
                    break;
                default:
                    // A lone surrogate or a stray escape.
                    s = s.Insert(at, r.Next(3) switch { 0 => "\ud800", 1 => "\\", _ => "\\u00" });
                    break;
            }
        }

        return s;
    }

    [Fact]
    public void Parse_MutatedRealFrames_AgreeWithUtf8JsonReaderOnWellFormedness()
    {
        var random = new Random(1723161254);
        var parser = new FrameParser();
        string[] corpus = Corpus.Value;
        int malformed = 0, wellFormed = 0;
        for (int n = 0; n < 15_000; n++)
        {
            string frame = Mutate(corpus[random.Next(corpus.Length)], random);
            FeedFrame f = parser.Parse(frame, n);
            bool reference = SpecOracle.IsWellFormedJson(frame);

            // Our malformed also covers objects repeating a read key and non-objects; compare JSON syntax alone.
            bool ours = !(f.Class == FrameClass.Malformed && f.Fault is not (FrameFault.DuplicateKey or FrameFault.NotAnObject));
            if (ours != reference)
            {
                Assert.Fail($"mutation #{n}: we say {f}, Utf8JsonReader says well-formed={reference}: {frame}");
            }

            if (reference)
            {
                wellFormed++;
            }
            else
            {
                malformed++;
            }
        }

        wellFormed.Should().BeGreaterThan(1_500);
        malformed.Should().BeGreaterThan(1_500);
    }

    [Fact]
    public void Parse_MutatedRealFrames_AgreeWithTheContractOracleOnClass()
    {
        var random = new Random(353466718);
        var parser = new FrameParser();
        string[] corpus = Corpus.Value;
        var seen = new Dictionary<FrameClass, int>();
        int undecided = 0;
        for (int n = 0; n < 15_000; n++)
        {
            string frame = Mutate(corpus[random.Next(corpus.Length)], random);
            FrameClass? expected = SpecOracle.Classify(frame);
            if (expected is not { } e)
            {
                undecided++;
                continue;
            }

            FeedFrame f = BookTickerRules.FlagInverted(BookTickerRules.Validate(parser.Parse(frame, n)));
            if (f.Class != e)
            {
                Assert.Fail($"mutation #{n}: we say {f}, the contract says {e}: {frame}");
            }

            seen[e] = seen.GetValueOrDefault(e) + 1;
        }

        undecided.Should().BeLessThan(300);
        seen.Keys.Should().Contain([FrameClass.BookTicker, FrameClass.Invalid, FrameClass.Malformed, FrameClass.Other, FrameClass.Control]);
        seen.Values.Should().OnlyContain(count => count > 25);
    }

    [Fact]
    public void Parse_EveryCaptureFrame_AgreesWithTheContractOracle()
    {
        var parser = new FrameParser();
        foreach (string line in Frames.Capture.Where((_, i) => i % 11 == 0))
        {
            string frame = Frames.FrameOf(line);
            FeedFrame f = parser.Parse(frame, 0);
            if (f.Class != SpecOracle.Classify(frame))
            {
                Assert.Fail($"we say {f}, the contract says {SpecOracle.Classify(frame)}: {frame}");
            }

        }
    }

    [Fact]
    public void Parse_RandomBytesAsText_NeverThrowsAndAgreesOnWellFormedness()
    {
        var random = new Random(5);
        var parser = new FrameParser();
        byte[] bytes = new byte[64];
        for (int n = 0; n < 20_000; n++)
        {
            Span<byte> span = bytes.AsSpan(0, random.Next(bytes.Length));
            random.NextBytes(span);

            // Keep enough structure to reach past the first character now and then.
            if (n % 2 == 0 && span.Length > 0)
            {
                span[0] = (byte)'{';
            }

            string text = Encoding.Latin1.GetString(span);
            FeedFrame f = parser.Parse(text, n);
            bool ours = !(f.Class == FrameClass.Malformed && f.Fault is not (FrameFault.DuplicateKey or FrameFault.NotAnObject));
            if (ours != SpecOracle.IsWellFormedJson(text))
            {
                Assert.Fail($"we say {f}, Utf8JsonReader disagrees: {text}");
            }

        }
    }

    [Theory]
    [InlineData("{\"a\":-0.0e-0}")]
    [InlineData("{\"a\":1E+400,\"b\":-1e-400}")]
    [InlineData("{\"a\":1e+}")]
    [InlineData("{\"\\u0000\":1}")]
    [InlineData("{\"a\":\"\\uD83D\\uDE00\"}")]
    [InlineData("{\"a\":\"\\uDC00\"}")]
    [InlineData("{\"a\":\"\\uD800\"}")]
    [InlineData("{\"a\":[{}, [], \"\", 0, true, false, null]}")]
    [InlineData("{\"a\":[,1]}")]
    [InlineData("{\"a\":[1,,2]}")]
    [InlineData("{\"a\":{\"b\":}}")]
    [InlineData("{\"a\":\"\\/\\b\\f\\n\\r\\t\\\"\\\\\"}")]
    [InlineData("{\"a\":\"\u007f\u0080\u07ff\u0800\uffff\"}")]
    [InlineData("{\"a\" : 1 , \"b\" : [ 1 , 2 ] }")]
    [InlineData("{\"a\":01.5}")]
    [InlineData("{\"a\":-}")]
    [InlineData("{\"a\":0e}")]
    [InlineData("{\"a\":0.e1}")]
    [InlineData("{\"a\":1.5E-3}")]
    [InlineData("{\"a\":\"\\u00zz\"}")]
    [InlineData("{\"a\":nulll}")]
    [InlineData("{\"a\":[true false]}")]
    [InlineData("{\"a\":1}\r\n\t ")]
    public void Parse_TrickyJson_AgreesWithUtf8JsonReader(string frame)
    {
        FeedFrame f = new FrameParser().Parse(frame, 0);
        bool ours = !(f.Class == FrameClass.Malformed && f.Fault is not (FrameFault.DuplicateKey or FrameFault.NotAnObject));
        ours.Should().Be(SpecOracle.IsWellFormedJson(frame), $"{f}: {frame}");
    }
}
