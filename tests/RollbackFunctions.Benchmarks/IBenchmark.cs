namespace RollbackFunctions.Benchmarks;

/// <summary>One benchmark: <c>dotnet run -c Release --project tests/RollbackFunctions.Benchmarks -- NAME</c>.</summary>
internal interface IBenchmark
{
    /// <summary>The name given on the command line.</summary>
    string Name { get; }

    string Description { get; }

    /// <summary>Runs and writes <c>metric &lt;name&gt; &lt;value&gt; &lt;unit&gt;</c> lines through <paramref name="report"/>.</summary>
    Task RunAsync(MetricReport report, CancellationToken cancellationToken);
}
