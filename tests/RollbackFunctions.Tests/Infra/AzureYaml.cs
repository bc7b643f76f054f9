using RollbackFunctions.Tests.Infrastructure;
using YamlDotNet.RepresentationModel;

namespace RollbackFunctions.Tests.Infra;

/// <summary>azure.yaml at the repository root, parsed with YamlDotNet into its mapping nodes (no schema of our own).</summary>
public sealed record AzureYaml(YamlMappingNode Root)
{
    public static string FilePath => Path.Combine(RepositoryRoot.Path, "azure.yaml");

    public static AzureYaml Load()
    {
        var stream = new YamlStream();
        using (var reader = new StreamReader(FilePath))
        {
            stream.Load(reader);
        }

        var document = Assert.Single(stream.Documents);
        return new AzureYaml(Assert.IsType<YamlMappingNode>(document.RootNode));
    }

    public IReadOnlyDictionary<string, YamlMappingNode> Services =>
        Mapping(Root, "services").Children.ToDictionary(entry => Scalar(entry.Key), entry => Assert.IsType<YamlMappingNode>(entry.Value), StringComparer.Ordinal);

    public static YamlMappingNode Mapping(YamlMappingNode node, string key) =>
        Assert.IsType<YamlMappingNode>(Child(node, key));

    public static string Text(YamlMappingNode node, string key) => Scalar(Child(node, key));

    private static YamlNode Child(YamlMappingNode node, string key)
    {
        Assert.True(node.Children.TryGetValue(new YamlScalarNode(key), out var child), $"azure.yaml: no '{key}' under {node.Start}");
        return child;
    }

    private static string Scalar(YamlNode node) => Assert.IsType<YamlScalarNode>(node).Value ?? string.Empty;
}
