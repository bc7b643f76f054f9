using System.Text.RegularExpressions;

namespace RollbackFunctions.Domain;

/// <summary>
/// Names and versions become Table Storage keys, which forbid <c>/ \ # ?</c> and control characters;
/// one rule for every entry point keeps a bad name from ever reaching storage.
/// </summary>
public static partial class ComponentNames
{
    public const int MaxLength = 100;

    // \z, not $: "$" also matches before a final "\n", which Table Storage refuses in a key.
    [GeneratedRegex(@"\A[A-Za-z0-9][A-Za-z0-9._-]{0,99}\z", RegexOptions.CultureInvariant)]
    private static partial Regex KeySafe();

    public static bool IsValidComponent(string? value) => value is not null && KeySafe().IsMatch(value);

    public static bool IsValidVersion(string? value) => value is not null && KeySafe().IsMatch(value);
}
