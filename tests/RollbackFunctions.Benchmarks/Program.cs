using RollbackFunctions.Benchmarks;

var benchmarks = typeof(IBenchmark).Assembly.GetTypes()
    .Where(t => typeof(IBenchmark).IsAssignableFrom(t) && t is { IsClass: true, IsAbstract: false })
    .Select(t => (IBenchmark)Activator.CreateInstance(t)!)
    .OrderBy(b => b.Name, StringComparer.Ordinal)
    .ToList();

if (args.Length == 0 || args[0] is "-h" or "--help" or "list")
{
    Console.WriteLine("usage: dotnet run -c Release --project tests/RollbackFunctions.Benchmarks -- <name>|all");
    foreach (var b in benchmarks)
    {
        Console.WriteLine($"  {b.Name,-24} {b.Description}");
    }

    return args.Length == 0 ? 2 : 0;
}

var selected = args[0] == "all" ? benchmarks : benchmarks.Where(b => b.Name == args[0]).ToList();
if (selected.Count == 0)
{
    Console.Error.WriteLine($"unknown benchmark '{args[0]}'; run with 'list' to see them");
    return 2;
}

var report = new MetricReport(Console.Out);
foreach (var benchmark in selected)
{
    // Each benchmark is bounded on its own, so "all" gives every one its full time.
    using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(10));
    report.Note($"benchmark {benchmark.Name}: {benchmark.Description}");
    await benchmark.RunAsync(report, cts.Token);
}

return 0;
