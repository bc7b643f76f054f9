using System.Diagnostics;
using System.Text.RegularExpressions;
using RollbackFunctions.Tests.Infrastructure;
using YamlDotNet.RepresentationModel;

namespace RollbackFunctions.Tests.Cli;

/// <summary>
/// The pipeline building blocks' shell step as the runner runs it: the step's <c>env</c> mapping read from the YAML,
/// its <c>${{ inputs.x }}</c> / <c>${{ parameters.x }}</c> expressions filled from the given inputs and the file's
/// own defaults, and its bash line run with that environment (and nothing of the test process's but PATH and HOME).
/// </summary>
internal static partial class PipelineStep
{
    public static string ActionPath => Path.Combine(RepositoryRoot.Path, ".github", "actions", "rollback");

    public static string ActionFile => Path.Combine(ActionPath, "action.yml");

    public static string TemplateFile => Path.Combine(RepositoryRoot.Path, "pipelines", "azure-devops", "rollback-steps.yml");

    public static YamlMappingNode Load(string file)
    {
        var yaml = new YamlStream();
        using var reader = new StreamReader(file);
        yaml.Load(reader);
        return (YamlMappingNode)yaml.Documents[0].RootNode;
    }

    public static YamlMappingNode Map(this YamlNode node, string key) => (YamlMappingNode)((YamlMappingNode)node)[key];

    public static string Scalar(this YamlNode node, string key) => ((YamlScalarNode)((YamlMappingNode)node)[key]).Value!;

    public static YamlMappingNode ActionStep() => (YamlMappingNode)((YamlSequenceNode)Load(ActionFile).Map("runs")["steps"])[0];

    public static YamlMappingNode TemplateStep() => (YamlMappingNode)((YamlSequenceNode)Load(TemplateFile)["steps"])[0];

    /// <summary>The GitHub composite action's step with these inputs (the rest take the action's defaults).</summary>
    public static Task<StepRun> RunActionAsync(IReadOnlyDictionary<string, string> inputs)
    {
        var declared = Load(ActionFile).Map("inputs");
        string Input(string name) =>
            inputs.TryGetValue(name, out var given) ? given
            : declared.Children.TryGetValue(new YamlScalarNode(name), out var input) && ((YamlMappingNode)input).Children.TryGetValue(new YamlScalarNode("default"), out var d) ? ((YamlScalarNode)d).Value ?? string.Empty
            : string.Empty;
        var step = ActionStep();
        var outputFile = Path.GetTempFileName();
        var environment = Environment(step, expression =>
        {
            var match = ActionExpression().Match(expression);
            if (!match.Success)
            {
                throw new InvalidOperationException($"An expression the test does not evaluate: {expression}");
            }

            // `inputs.x || format(...)`: the runner's fallback when the input is empty; the test's stands in for github.*.
            var value = Input(match.Groups["name"].Value);
            return value.Length > 0 || !match.Groups["fallback"].Success ? value : "github:test/fallback";
        });
        environment["GITHUB_ACTIONS"] = "true";
        environment["GITHUB_ACTION_PATH"] = ActionPath;
        environment["GITHUB_OUTPUT"] = outputFile;
        return RunAsync(step.Scalar("run"), environment, outputFile);
    }

    /// <summary>The Azure DevOps template's step with these parameters (the rest take the template's defaults).</summary>
    public static Task<StepRun> RunTemplateAsync(IReadOnlyDictionary<string, string> parameters)
    {
        var declared = ((YamlSequenceNode)Load(TemplateFile)["parameters"]).Cast<YamlMappingNode>().ToDictionary(p => p.Scalar("name"));
        string Parameter(string name) =>
            parameters.TryGetValue(name, out var given) ? given
            : declared[name].Children.TryGetValue(new YamlScalarNode("default"), out var d) ? ((YamlScalarNode)d).Value ?? string.Empty
            : throw new InvalidOperationException($"The template's parameter {name} has no default and the test gave none.");
        var step = TemplateStep();
        var environment = Environment(step, expression => TemplateExpression().Match(expression) is { Success: true } m
            ? Parameter(m.Groups["name"].Value)
            : throw new InvalidOperationException($"An expression the test does not evaluate: {expression}"));
        environment["TF_BUILD"] = "True";
        environment["ROLLBACK_SCRIPT"] = Path.Combine(ActionPath, "rollback.sh");
        return RunAsync(step.Scalar("bash"), environment, null);
    }

    private static Dictionary<string, string> Environment(YamlMappingNode step, Func<string, string> evaluate)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in step.Map("env").Children)
        {
            var text = ((YamlScalarNode)value).Value ?? string.Empty;
            environment[((YamlScalarNode)key).Value!] = text.StartsWith("${{", StringComparison.Ordinal) ? evaluate(text) : text;
        }

        return environment;
    }

    private static async Task<StepRun> RunAsync(string script, Dictionary<string, string> environment, string? outputFile)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        start.Environment.Clear();
        start.Environment["PATH"] = System.Environment.GetEnvironmentVariable("PATH");
        start.Environment["HOME"] = System.Environment.GetEnvironmentVariable("HOME");
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        var outputs = new Dictionary<string, string>(StringComparer.Ordinal);
        if (outputFile is not null)
        {
            foreach (var line in await File.ReadAllLinesAsync(outputFile))
            {
                var equals = line.IndexOf('=', StringComparison.Ordinal);
                outputs[line[..equals]] = line[(equals + 1)..];
            }

            File.Delete(outputFile);
        }

        return new StepRun(process.ExitCode, await stdout, await stderr, outputs);
    }

    [GeneratedRegex(@"\A\$\{\{\s*inputs\.(?<name>[a-z-]+)\s*(?<fallback>\|\|.*)?\}\}\z")]
    private static partial Regex ActionExpression();

    [GeneratedRegex(@"\A\$\{\{\s*parameters\.(?<name>[A-Za-z]+)\s*\}\}\z")]
    private static partial Regex TemplateExpression();
}

internal sealed record StepRun(int ExitCode, string Output, string Error, IReadOnlyDictionary<string, string> Outputs)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout ---\n{Output}\n--- stderr ---\n{Error}\n--- outputs ---\n{string.Join('\n', Outputs.Select(o => $"{o.Key}={o.Value}"))}";
}
