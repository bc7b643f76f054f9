using System.Text.RegularExpressions;
using RollbackFunctions.Tests.DevHost;
using YamlDotNet.RepresentationModel;

namespace RollbackFunctions.Tests.Cli;

/// <summary>
/// The GitHub composite action (<c>.github/actions/rollback</c>) and the Azure DevOps steps template
/// (<c>pipelines/azure-devops/rollback-steps.yml</c>): their YAML's shape, and their shell step run as the runner runs
/// it against the dev host.
/// </summary>
[Collection(nameof(RollbackCtlDevHostTests))]
public sealed partial class PipelineBuildingBlocksTests
{
    private static readonly string[] Commands = ["record-release", "request-rollback", "gate"];

    [Fact]
    public void The_action_is_a_composite_whose_bash_step_gets_every_input_the_script_reads()
    {
        var action = PipelineStep.Load(PipelineStep.ActionFile);
        Assert.Equal("composite", action.Map("runs").Scalar("using"));
        var step = PipelineStep.ActionStep();
        Assert.Equal("bash", step.Scalar("shell"));
        Assert.Contains("$GITHUB_ACTION_PATH/rollback.sh", step.Scalar("run"), StringComparison.Ordinal);

        var inputs = action.Map("inputs").Children.Keys.Select(k => ((YamlScalarNode)k).Value!).ToHashSet(StringComparer.Ordinal);
        var env = step.Map("env").Children.ToDictionary(e => ((YamlScalarNode)e.Key).Value!, e => ((YamlScalarNode)e.Value).Value!, StringComparer.Ordinal);
        foreach (var input in inputs)
        {
            var variable = "INPUT_" + input.Replace('-', '_').ToUpperInvariant();
            Assert.True(env.TryGetValue(variable, out var expression), $"input {input} is not passed to the script as {variable}");
            Assert.Matches(@"\A\$\{\{ inputs\." + Regex.Escape(input) + @"( \|\| .+)? \}\}\z", expression);
        }

        Assert.Equal(ScriptInputs().Order(StringComparer.Ordinal), env.Keys.Order(StringComparer.Ordinal));
        foreach (var required in new[] { "command", "url", "component" })
        {
            Assert.Equal("true", action.Map("inputs").Map(required).Scalar("required"));
        }

        foreach (var (name, output) in action.Map("outputs").Children)
        {
            Assert.Equal($"${{{{ steps.call.outputs.{((YamlScalarNode)name).Value} }}}}", ((YamlMappingNode)output).Scalar("value"));
        }
    }

    [Fact]
    public void The_Azure_DevOps_template_passes_the_same_variables_as_the_action()
    {
        var template = PipelineStep.Load(PipelineStep.TemplateFile);
        var parameters = ((YamlSequenceNode)template["parameters"]).Cast<YamlMappingNode>().ToDictionary(p => p.Scalar("name"), StringComparer.Ordinal);
        var commands = ((YamlSequenceNode)parameters["command"]["values"]).Select(v => ((YamlScalarNode)v).Value).ToArray();
        Assert.Equal(Commands, commands);
        Assert.Equal("boolean", parameters["failWhenClosed"].Scalar("type"));

        var step = PipelineStep.TemplateStep();
        Assert.Equal("${{ parameters.name }}", step.Scalar("name"));
        Assert.Equal("${{ parameters.condition }}", step.Scalar("condition"));
        var env = step.Map("env").Children.ToDictionary(e => ((YamlScalarNode)e.Key).Value!, e => ((YamlScalarNode)e.Value).Value!, StringComparer.Ordinal);
        var actionEnv = PipelineStep.ActionStep().Map("env").Children.Keys.Select(k => ((YamlScalarNode)k).Value!);
        Assert.Equal(actionEnv.Append("ROLLBACK_SCRIPT").Order(StringComparer.Ordinal), env.Keys.Order(StringComparer.Ordinal));
        foreach (var (variable, expression) in env)
        {
            var parameter = TemplateParameter().Match(expression).Groups["name"].Value;
            Assert.True(parameters.ContainsKey(parameter), $"{variable} reads an undeclared parameter: {expression}");
        }
    }

    [Fact]
    public async Task The_action_and_the_template_record_releases_request_a_rollback_and_ask_the_gate_against_the_dev_host()
    {
        await using var world = await DevHostWorld.CreateAsync();
        await using var host = await DevHostProcess.StartAsync(world.Port, world.Environment(requireConfirmation: true));
        var url = host.Http.BaseAddress!.ToString();
        var common = new Dictionary<string, string> { ["url"] = url, ["key"] = DevHostProcess.ApiKey, ["component"] = DevHostWorld.Component };

        var open = await PipelineStep.RunActionAsync(With(common, ("command", "gate")));
        Assert.True(open.ExitCode == 0, open.ToString());
        Assert.Equal("true", open.Outputs["open"]);

        var verified = await PipelineStep.RunActionAsync(With(common,
            ("command", "record-release"), ("version", DevHostWorld.GoodVersion), ("artifact", DevHostWorld.Artifact('1')), ("status", "Verified"), ("schema-version", "7")));
        Assert.True(verified.ExitCode == 0, verified.ToString());
        Assert.Equal("201", verified.Outputs["http-status"]);

        var deployed = await PipelineStep.RunTemplateAsync(new Dictionary<string, string>
        {
            ["command"] = "record-release", ["url"] = url, ["key"] = DevHostProcess.ApiKey, ["component"] = DevHostWorld.Component,
            ["version"] = DevHostWorld.BadVersion, ["artifact"] = DevHostWorld.Artifact('2'), ["schemaVersion"] = "7", ["commit"] = "0123abc",
        });
        Assert.True(deployed.ExitCode == 0, deployed.ToString());
        Assert.Contains("##vso[task.setvariable variable=httpStatus;isOutput=true]201", deployed.Output, StringComparison.Ordinal);
        var ledger = await host.GetJsonAsync($"/api/releases/{DevHostWorld.Component}");
        Assert.Contains(ledger.GetProperty("releases").EnumerateArray(), r => r.GetProperty("version").GetString() == DevHostWorld.BadVersion && r.GetProperty("status").GetString() == "Deployed");

        var conflict = await PipelineStep.RunActionAsync(With(common,
            ("command", "record-release"), ("version", DevHostWorld.GoodVersion), ("artifact", DevHostWorld.Artifact('3')), ("status", "Verified")));
        Assert.True(conflict.ExitCode == 1, conflict.ToString());
        Assert.Contains("::error title=rollback record-release::HTTP 409: ", conflict.Output, StringComparison.Ordinal);

        var requested = await PipelineStep.RunActionAsync(With(common,
            ("command", "request-rollback"), ("reason", "SmokeTestsFailed"), ("correlation-id", "gh-4711-1"), ("details", "smoke \"checkout\" failed\non 1.5.0")));
        Assert.True(requested.ExitCode == 0, requested.ToString());
        Assert.Contains("(HTTP 202)", requested.Output, StringComparison.Ordinal);
        var rollbackId = requested.Outputs["rollback-id"];
        Assert.Equal($"{url.TrimEnd('/')}/api/rollbacks/{rollbackId}", requested.Outputs["status-uri"]);
        var rollback = await host.GetJsonAsync($"/api/rollbacks/{rollbackId}");
        Assert.Equal("SmokeTestsFailed", rollback.GetProperty("trigger").GetProperty("reason").GetString());
        Assert.Equal("github:test/fallback", rollback.GetProperty("trigger").GetProperty("requestedBy").GetString());
        Assert.Equal("smoke \"checkout\" failed\non 1.5.0", rollback.GetProperty("trigger").GetProperty("details").GetString());

        var again = await PipelineStep.RunTemplateAsync(new Dictionary<string, string>
        {
            ["command"] = "request-rollback", ["url"] = url, ["key"] = DevHostProcess.ApiKey, ["component"] = DevHostWorld.Component,
            ["reason"] = "SmokeTestsFailed", ["requestedBy"] = "ado:shop#4711", ["correlationId"] = "gh-4711-1", ["commit"] = string.Empty,
        });
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains($"##vso[task.setvariable variable=rollbackId;isOutput=true]{rollbackId}", again.Output, StringComparison.Ordinal);

        var closed = await PipelineStep.RunActionAsync(With(common, ("command", "gate")));
        Assert.True(closed.ExitCode == 3, closed.ToString());
        Assert.Equal("false", closed.Outputs["open"]);
        Assert.Equal(rollbackId, closed.Outputs["active-rollback-id"]);
        Assert.Contains("::error title=rollback gate::the gate of storefront is closed", closed.Output, StringComparison.Ordinal);

        var tolerated = await PipelineStep.RunActionAsync(With(common, ("command", "gate"), ("fail-when-closed", "false")));
        Assert.True(tolerated.ExitCode == 0, tolerated.ToString());
        Assert.Equal("false", tolerated.Outputs["open"]);

        var closedAdo = await PipelineStep.RunTemplateAsync(new Dictionary<string, string>
        {
            ["command"] = "gate", ["url"] = url, ["key"] = DevHostProcess.ApiKey, ["component"] = DevHostWorld.Component, ["commit"] = string.Empty,
            ["requestedBy"] = string.Empty, ["correlationId"] = string.Empty, ["failWhenClosed"] = "True",
        });
        Assert.True(closedAdo.ExitCode == 3, closedAdo.ToString());
        Assert.Contains("##vso[task.setvariable variable=open;isOutput=true]false", closedAdo.Output, StringComparison.Ordinal);
        Assert.Contains("##vso[task.logissue type=error]the gate of storefront is closed", closedAdo.Output, StringComparison.Ordinal);

        var badKey = await PipelineStep.RunActionAsync(With(common, ("command", "gate"), ("key", "wrong")));
        Assert.True(badKey.ExitCode == 1, badKey.ToString());
        Assert.Contains("HTTP 401: The credential was refused", badKey.Output, StringComparison.Ordinal);

        var incomplete = await PipelineStep.RunActionAsync(With(common, ("command", "record-release"), ("version", "1.6.0")));
        Assert.True(incomplete.ExitCode == 2, incomplete.ToString());
        Assert.Contains("ARTIFACT is required", incomplete.Error, StringComparison.Ordinal);
    }

    private static Dictionary<string, string> With(Dictionary<string, string> common, params (string Name, string Value)[] inputs)
    {
        var all = new Dictionary<string, string>(common, StringComparer.Ordinal);
        foreach (var (name, value) in inputs)
        {
            all[name] = value;
        }

        return all;
    }

    /// <summary>Every INPUT_* variable the script reads.</summary>
    private static HashSet<string> ScriptInputs() =>
        ScriptInput().Matches(File.ReadAllText(Path.Combine(PipelineStep.ActionPath, "rollback.sh"))).Select(m => m.Value).ToHashSet(StringComparer.Ordinal);

    [GeneratedRegex(@"INPUT_[A-Z_]+[A-Z]")]
    private static partial Regex ScriptInput();

    [GeneratedRegex(@"\A\$\{\{ parameters\.(?<name>[A-Za-z]+) \}\}\z")]
    private static partial Regex TemplateParameter();
}
