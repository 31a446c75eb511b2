namespace RxFeed.Testing;

/// <summary>
/// Registers a static method as an operator that <c>.marble</c> files can name in their <c>operator:</c> header.
/// Parameters bind by name: <c>IObservable&lt;T&gt;</c> parameters to the file's hot and cold sources, an
/// <c>IScheduler</c> to the runner's scheduler, anything else to the header's arguments (durations as <c>5s</c>).
/// </summary>
/// <example><code>
/// [MarbleOperator("StaleAfter")]
/// static IObservable&lt;BookTicker&gt; StaleAfter(IObservable&lt;BookTicker&gt; @in, TimeSpan after, IScheduler scheduler) =&gt; @in.StaleAfter(after, scheduler);
/// </code></example>
/// <param name="name">The name files use.</param>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class MarbleOperatorAttribute(string name) : Attribute
{
    /// <summary>Gets the name files use.</summary>
    public string Name { get; } = name;
}
