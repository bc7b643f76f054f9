using System.Globalization;

namespace RollbackFunctions.Benchmarks;

internal sealed class MetricReport(TextWriter output)
{
    public void Metric(string name, double value, string unit) =>
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"metric {name} {value:0.###} {unit}"));

    public void Note(string text) => output.WriteLine("# " + text);

    public static double Percentile(IReadOnlyList<double> values, double percentile)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        var sorted = values.OrderBy(v => v).ToArray();
        var rank = (int)Math.Ceiling(percentile / 100.0 * sorted.Length) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Length - 1)];
    }
}
