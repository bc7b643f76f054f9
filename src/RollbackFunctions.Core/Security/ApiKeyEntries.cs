using System.Security.Cryptography;
using System.Text;

namespace RollbackFunctions.Security;

/// <summary>
/// Reads <c>RollbackApi:Keys</c>, which has two shapes the configuration binder cannot tell apart: a bare string
/// (<c>Keys:0</c> = "...", the array of earlier versions and of the demo) and a named key with roles
/// (<c>Keys:{name}:Key</c>, <c>Keys:{name}:Roles</c> as a list or a comma-separated string).
/// </summary>
public static class ApiKeyEntries
{
    public static IReadOnlyList<ApiKeyEntry> Read(IConfigurationSection keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var entries = new List<ApiKeyEntry>();
        foreach (var child in keys.GetChildren())
        {
            if (child.Value is { } bare)
            {
                // An array index names nobody: the audit shows the key by a fingerprint (never the key itself).
                entries.Add(new ApiKeyEntry(Fingerprint(bare), bare, RollbackRoles.All, Bare: true));
                continue;
            }

            var roles = child.GetSection("Roles") is { Value: { } list }
                ? list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                : child.GetSection("Roles").GetChildren().Select(r => r.Value).OfType<string>().Where(r => !string.IsNullOrWhiteSpace(r)).ToArray();
            entries.Add(new ApiKeyEntry(child.Key, child["Key"] ?? "", [.. roles.Select(r => RollbackRoles.Known(r) ?? r)]));
        }

        return entries;
    }

    public static string Fingerprint(string key) =>
        "key sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..12];
}
