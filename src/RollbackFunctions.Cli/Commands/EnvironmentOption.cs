using System.CommandLine;

namespace RollbackFunctions.Cli.Commands;

/// <summary>A global option that falls back to an environment variable, so a script sets it once.</summary>
public sealed class EnvironmentOption
{
    public EnvironmentOption(string name, string variable, string description, params string[] allowed)
    {
        Name = name;
        Variable = variable;
        Option = new Option<string?>(name) { Description = $"{description} (env {variable})", Recursive = true };
        if (allowed.Length > 0)
        {
            Option.AcceptOnlyFromAmong(allowed);
        }
    }

    public string Name { get; }

    public string Variable { get; }

    public Option<string?> Option { get; }

    /// <summary>The option's value, else the variable's; blank is none.</summary>
    public string? Value(ParseResult parse, CliHost host)
    {
        ArgumentNullException.ThrowIfNull(parse);
        ArgumentNullException.ThrowIfNull(host);
        var value = parse.GetValue(Option) ?? host.Variable(Variable);
        return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
    }
}
