using System.Text.RegularExpressions;
using RollbackFunctions.Tests.Infrastructure;
using YamlDotNet.RepresentationModel;

namespace RollbackFunctions.Tests.Cli;

/// <summary>README's pipeline examples use the action and the template with inputs and parameters they declare.</summary>
public sealed partial class ReadmePipelineExamplesTests
{
    [Fact]
    public void The_README_examples_pass_only_declared_inputs_and_every_required_one()
    {
        var section = PipelinesSection();
        Assert.DoesNotContain("curl -fsS -X POST", section, StringComparison.Ordinal);
        var blocks = YamlBlock().Matches(section).Select(m => m.Groups["yaml"].Value).ToList();
        Assert.Equal(2, blocks.Count);

        var action = PipelineStep.Load(PipelineStep.ActionFile).Map("inputs");
        var inputs = action.Children.Keys.Select(k => ((YamlScalarNode)k).Value!).ToHashSet(StringComparer.Ordinal);
        var required = inputs.Where(i => action.Map(i).Children.TryGetValue(new YamlScalarNode("required"), out var r) && ((YamlScalarNode)r).Value == "true").ToList();
        var githubSteps = Steps(blocks[0]).Where(s => s.Children.ContainsKey(new YamlScalarNode("uses")) && s.Scalar("uses") == "./.github/actions/rollback").ToList();
        Assert.Equal(4, githubSteps.Count);
        foreach (var step in githubSteps)
        {
            var with = step.Map("with").Children.Keys.Select(k => ((YamlScalarNode)k).Value!).ToList();
            Assert.Empty(with.Except(inputs));
            Assert.Empty(required.Except(with));
        }

        var parameters = ((YamlSequenceNode)PipelineStep.Load(PipelineStep.TemplateFile)["parameters"]).Cast<YamlMappingNode>().ToList();
        var declared = parameters.Select(p => p.Scalar("name")).ToHashSet(StringComparer.Ordinal);
        var withoutDefault = parameters.Where(p => !p.Children.ContainsKey(new YamlScalarNode("default"))).Select(p => p.Scalar("name")).ToList();
        var templateSteps = Steps(blocks[1]).Where(s => s.Children.ContainsKey(new YamlScalarNode("template"))).ToList();
        Assert.Equal(4, templateSteps.Count);
        foreach (var step in templateSteps)
        {
            Assert.Equal("pipelines/azure-devops/rollback-steps.yml@rollback", step.Scalar("template"));
            var given = step.Map("parameters").Children.Keys.Select(k => ((YamlScalarNode)k).Value!).ToList();
            Assert.Empty(given.Except(declared));
            Assert.Empty(withoutDefault.Except(given));
        }
    }

    private static string PipelinesSection()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "README.md"));
        var start = readme.IndexOf("## Pipelines", StringComparison.Ordinal);
        Assert.True(start >= 0, "README has no Pipelines section");
        var end = readme.IndexOf("\n## ", start + 3, StringComparison.Ordinal);
        return end < 0 ? readme[start..] : readme[start..end];
    }

    private static List<YamlMappingNode> Steps(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return [.. ((YamlSequenceNode)((YamlMappingNode)stream.Documents[0].RootNode)["steps"]).Cast<YamlMappingNode>()];
    }

    [GeneratedRegex(@"```yaml\n(?<yaml>.*?)```", RegexOptions.Singleline)]
    private static partial Regex YamlBlock();
}
