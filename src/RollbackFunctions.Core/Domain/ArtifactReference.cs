using System.Text.RegularExpressions;

namespace RollbackFunctions.Domain;

/// <summary>
/// Section 2: a rollback deploys immutable artifacts only. An artifact is immutable when it is pinned by a content
/// digest, which a registry cannot move the way it moves a tag:
/// <list type="bullet">
/// <item>a container image by digest: <c>registry/repo@sha256:&lt;64 hex&gt;</c> (a tag may precede the digest:
/// <c>repo:1.2@sha256:...</c>);</item>
/// <item>a package with its digest after <c>#</c> or <c>@</c>: <c>pkg:nuget/Shop@1.2.0#sha256:&lt;64 hex&gt;</c> or
/// <c>...#sha512:&lt;128 hex&gt;</c>.</item>
/// </list>
/// A tag alone (<c>repo:latest</c>, <c>repo:1.2</c>) or a bare package version is refused.
/// </summary>
public static partial class ArtifactReference
{
    [GeneratedRegex("^[^\\s@#]+(?::[^\\s@#]+)?@sha256:[0-9a-f]{64}$", RegexOptions.CultureInvariant)]
    private static partial Regex ImageByDigest();

    [GeneratedRegex("^\\S+[#@](?:sha256:[0-9a-f]{64}|sha512:[0-9a-f]{128})$", RegexOptions.CultureInvariant)]
    private static partial Regex PackageWithDigest();

    public static bool IsImmutable(string? artifact) =>
        !string.IsNullOrWhiteSpace(artifact) && (ImageByDigest().IsMatch(artifact) || PackageWithDigest().IsMatch(artifact));
}
