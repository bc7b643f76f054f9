using System.Text.RegularExpressions;

namespace RollbackFunctions.Intake;

/// <summary>Rollback ids are orchestration instance ids and Table keys: checked before either is asked.</summary>
public static partial class RollbackIds
{
    // \z, not $: "$" also matches before a final "\n".
    [GeneratedRegex(@"\A[A-Za-z0-9][A-Za-z0-9._-]{0,199}\z", RegexOptions.CultureInvariant)]
    private static partial Regex Valid();

    public static string? Check(string? rollbackId) =>
        rollbackId is not null && Valid().IsMatch(rollbackId)
            ? null
            : "must be a rollback id as returned in 'rollbackId' (letters, digits, '.', '_', '-'; at most 200).";
}
