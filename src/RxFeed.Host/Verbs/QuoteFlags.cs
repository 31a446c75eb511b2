using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using RxFeed.Host.Cli;
using RxFeed.Orders;
using RxFeed.Quoting;

namespace RxFeed.Host.Verbs;

/// <summary>
/// The quote engine's flags of <c>host-cli.md</c> (with their defaults), the quoting outputs, and their binding to
/// <see cref="QuotingSessionOptions"/>; shared by <c>replay</c> and <c>run</c>.
/// </summary>
internal sealed class QuoteFlags
{
    private bool _withStaleAfter;

    public Option<decimal> AnchorBps { get; } = DecimalOption("--anchor-bps", 0m, "Anchor in basis points, added to the venue spread", allowNegative: true);

    public Option<decimal> VenueSpreadBps { get; } = DecimalOption("--venue-spread-bps", 10m, "Venue spread in basis points", allowNegative: true);

    public Option<int> PricePrecision { get; } = IntOption("--price-precision", 6, 0, 18, "Decimals of quoted prices, rounded half away from zero");

    public Option<decimal> QuoteSize { get; } = DecimalOption("--quote-size", 100m, "Size quoted on each side", allowNegative: false);

    public Option<bool> BidEnabled { get; } = BoolOption("--bid-enabled", "Quote the bid side");

    public Option<bool> AskEnabled { get; } = BoolOption("--ask-enabled", "Quote the ask side");

    public Option<TimeSpan> MinRequote { get; } = CliOptions.Duration("--min-requote", TimeSpan.Zero, "At most one quote per symbol per this interval; the latest pending candidate is emitted when it ends");

    public Option<int> RequoteTicks { get; } = IntOption("--requote-ticks", 1, 0, int.MaxValue, "Requote when an enabled side moves at least this many price ticks");

    public Option<int> OrderRate { get; } = IntOption("--order-rate", 10, 1, 1_000_000, "Order places per second (token bucket of this capacity)");

    public Option<string?> SymbolDst { get; } = new("--symbol-dst")
    {
        Description = "The venue symbol the quotes are for: NAME, or SRC=DST,SRC2=DST2 (default: the source symbol).",
        HelpName = "NAME",
    };

    public Option<int> Layers { get; } = IntOption("--quote-layers", 1, 1, 64, "Price levels quoted per side");

    public Option<decimal> LayerStepBps { get; } = DecimalOption("--layer-step-bps", 5m, "How much wider each further layer is, in basis points", allowNegative: false);

    public Option<decimal> LayerSizeStep { get; } = DecimalOption("--layer-size-step", 1m, "How much each further layer's size grows, in multiples of --quote-size", allowNegative: false);

    public Option<TimeSpan> StaleAfter { get; } = CliOptions.Duration("--stale-after", TimeSpan.FromSeconds(10), "A symbol with no delivered book ticker for this long is Stale");

    public Option<FileInfo?> QuotesOut { get; } = CliOptions.OutputFile("--quotes-out", "Write every quote and cancel as NDJSON.");

    public Option<FileInfo?> OrdersOut { get; } = CliOptions.OutputFile("--orders-out", "Write every order place and cancel as NDJSON.");

    public Option<FileInfo?> HealthOut { get; } = CliOptions.OutputFile("--health-out", "Write every change of a symbol's health as NDJSON.");

    /// <summary>Adds the quote flags and the outputs to a verb (and a validator that reports bad combinations as usage errors).</summary>
    /// <param name="command">The verb.</param>
    /// <param name="withStaleAfter">False when the verb declares <c>--stale-after</c> itself.</param>
    /// <param name="withHealthOut">False when the verb declares <c>--health-out</c> itself.</param>
    public void AddTo(Command command, bool withStaleAfter = true, bool withHealthOut = true)
    {
        ArgumentNullException.ThrowIfNull(command);
        Option[] options =
        [
            AnchorBps, VenueSpreadBps, PricePrecision, QuoteSize, BidEnabled, AskEnabled, MinRequote, RequoteTicks, OrderRate,
            SymbolDst, Layers, LayerStepBps, LayerSizeStep, QuotesOut, OrdersOut,
        ];
        foreach (Option option in options)
        {
            command.Options.Add(option);
        }

        foreach (Option<FileInfo?> output in new[] { QuotesOut, OrdersOut, HealthOut })
        {
            // A file that cannot be created is a usage error with one clear line, not a stack trace mid-run.
            output.Validators.Add(result =>
            {
                if (result.GetValueOrDefault<FileInfo?>() is { Directory: { Exists: false } directory })
                {
                    result.AddError($"{output.Name}: directory '{directory.FullName}' does not exist");
                }
            });
        }

        _withStaleAfter = withStaleAfter;
        if (withStaleAfter)
        {
            command.Options.Add(StaleAfter);
        }

        if (withHealthOut)
        {
            command.Options.Add(HealthOut);
        }

        command.Validators.Add(result =>
        {
            try
            {
                QuotingSessionOptions options = Bind(result);
                options.Quote.Validate();
                options.Orders.Validate();
            }
            catch (InvalidOperationException)
            {
                // An option's own parse error is already reported.
            }
            catch (ArgumentException ex)
            {
                result.AddError($"quote flags: {ex.Message.Split(Environment.NewLine)[0]}");
            }
        });
    }

    /// <summary>Binds the parsed flags.</summary>
    /// <param name="parse">The parse result.</param>
    /// <returns>The session options.</returns>
    public QuotingSessionOptions Bind(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        return Bind(parse.CommandResult);
    }

    private static Option<decimal> DecimalOption(string name, decimal defaultValue, string description, bool allowNegative) => new(name)
    {
        Description = $"{description} (default {defaultValue.ToString(CultureInfo.InvariantCulture)}).",
        DefaultValueFactory = _ => defaultValue,
        CustomParser = result =>
        {
            string text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
            NumberStyles styles = NumberStyles.AllowDecimalPoint | (allowNegative ? NumberStyles.AllowLeadingSign : NumberStyles.None);
            if (decimal.TryParse(text, styles, CultureInfo.InvariantCulture, out decimal value))
            {
                return value;
            }

            result.AddError($"{name}: '{text}' is not a{(allowNegative ? string.Empty : " non-negative")} decimal number");
            return defaultValue;
        },
    };

    private static Option<int> IntOption(string name, int defaultValue, int min, int max, string description) => new(name)
    {
        Description = $"{description} (default {defaultValue}).",
        DefaultValueFactory = _ => defaultValue,
        CustomParser = result =>
        {
            string text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
            if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value) && value >= min && value <= max)
            {
                return value;
            }

            result.AddError($"{name}: '{text}' is not an integer from {min} to {max}");
            return defaultValue;
        },
    };

    private static Option<bool> BoolOption(string name, string description) => new(name)
    {
        Description = $"{description}: true or false (default true).",
        DefaultValueFactory = _ => true,
        Arity = ArgumentArity.ZeroOrOne,
        CustomParser = result =>
        {
            // A bare flag means true; otherwise exactly true or false.
            string text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "true";
            if (bool.TryParse(text, out bool value))
            {
                return value;
            }

            result.AddError($"{name}: '{text}' is not true or false");
            return true;
        },
    };

    /// <summary>Reads an option; in a command validator options not on the command line have no value yet, so take the default.</summary>
    private static T Get<T>(SymbolResult result, Option<T> option) =>
        result.GetResult(option) is null && option.DefaultValueFactory is { } factory ? factory(null!) : result.GetValue(option)!;

    private QuotingSessionOptions Bind(SymbolResult result) => new()
    {
        // A verb that declares --stale-after itself sets QuotingSessionOptions.StaleAfter from its own option.
        StaleAfter = _withStaleAfter ? Get(result, StaleAfter) : TimeSpan.FromSeconds(10),
        Quote = new QuoteOptions
        {
            AnchorBps = Get(result, AnchorBps),
            VenueSpreadBps = Get(result, VenueSpreadBps),
            PricePrecision = Get(result, PricePrecision),
            QuoteSize = Get(result, QuoteSize),
            BidEnabled = Get(result, BidEnabled),
            AskEnabled = Get(result, AskEnabled),
            MinRequote = Get(result, MinRequote),
            RequoteTicks = Get(result, RequoteTicks),
            SymbolDst = Get(result, SymbolDst),
            Layers = Get(result, Layers),
            LayerStepBps = Get(result, LayerStepBps),
            LayerSizeStep = Get(result, LayerSizeStep),
        },
        Orders = new OrderOptions { OrderRate = Get(result, OrderRate) },
    };
}
