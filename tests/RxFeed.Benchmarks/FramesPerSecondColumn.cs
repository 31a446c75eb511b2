using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace RxFeed.Benchmarks;

/// <summary>Frames per second, from the per-operation mean (benchmarks here count one operation per frame).</summary>
public sealed class FramesPerSecondColumn : IColumn
{
    /// <inheritdoc/>
    public string Id => nameof(FramesPerSecondColumn);

    /// <inheritdoc/>
    public string ColumnName => "Frames/s";

    /// <inheritdoc/>
    public bool AlwaysShow => true;

    /// <inheritdoc/>
    public ColumnCategory Category => ColumnCategory.Custom;

    /// <inheritdoc/>
    public int PriorityInCategory => 0;

    /// <inheritdoc/>
    public bool IsNumeric => true;

    /// <inheritdoc/>
    public UnitType UnitType => UnitType.Dimensionless;

    /// <inheritdoc/>
    public string Legend => "Frames per second through the whole chain (1 s / mean per frame)";

    /// <inheritdoc/>
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    /// <inheritdoc/>
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        double? meanNs = summary[benchmarkCase]?.ResultStatistics?.Mean;
        return meanNs is > 0 ? (1e9 / meanNs.Value).ToString("N0", System.Globalization.CultureInfo.InvariantCulture) : "NA";
    }

    /// <inheritdoc/>
    public bool IsAvailable(Summary summary) => true;

    /// <inheritdoc/>
    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    /// <summary>Adds the column to a benchmark class: <c>[Config(typeof(FramesPerSecondColumn.Config))]</c>.</summary>
    public sealed class Config : ManualConfig
    {
        /// <summary>Initializes a new instance of the <see cref="Config"/> class.</summary>
        public Config() => AddColumn(new FramesPerSecondColumn());
    }
}
