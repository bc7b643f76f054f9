namespace RollbackFunctions.Security;

/// <summary>Checked at start: a key without a secret or with a role that does not exist, or half an Entra ID setup, stops the host.</summary>
public sealed class RollbackApiOptionsValidator : IValidateOptions<RollbackApiOptions>
{
    public ValidateOptionsResult Validate(string? name, RollbackApiOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        foreach (var key in options.Keys)
        {
            var at = $"{RollbackApiOptions.SectionName}:Keys:{key.Name}";
            if (string.IsNullOrWhiteSpace(key.Key))
            {
                failures.Add($"{at}:Key is empty: give the key a secret value, or remove the entry.");
            }

            if (key.Roles.Count == 0)
            {
                failures.Add($"{at}:Roles is empty: name at least one of {string.Join(", ", RollbackRoles.All)}.");
            }

            failures.AddRange(key.Roles.Where(r => RollbackRoles.Known(r) is null)
                .Select(r => $"{at}:Roles has '{r}', which is not a role: use {string.Join(", ", RollbackRoles.All)}."));
        }

        failures.AddRange(options.Keys.Where(k => !string.IsNullOrWhiteSpace(k.Key)).GroupBy(k => k.Key, StringComparer.Ordinal).Where(g => g.Count() > 1)
            .Select(g => $"{RollbackApiOptions.SectionName}:Keys: {string.Join(" and ", g.Select(k => k.Name))} have the same secret, so the caller's name would be ambiguous."));

        if (options.AnswerWithin < TimeSpan.FromSeconds(1) || options.AnswerWithin > TimeSpan.FromSeconds(60))
        {
            failures.Add($"{RollbackApiOptions.SectionName}:AnswerWithin is {options.AnswerWithin}: use 00:00:01 to 00:01:00 (an action group gives up after 10 s).");
        }

        if (options.Entra is { } entra)
        {
            const string at = RollbackApiOptions.SectionName + ":Entra";
            if (entra.Authority is not { IsAbsoluteUri: true } authority)
            {
                failures.Add($"{at}:Authority must be an absolute URL, e.g. https://login.microsoftonline.com/<tenant>/v2.0.");
            }
            else if (authority.Scheme != Uri.UriSchemeHttps && !(authority.Scheme == Uri.UriSchemeHttp && authority.IsLoopback))
            {
                failures.Add($"{at}:Authority must use https (plain http only for a loopback issuer): {authority}.");
            }

            if (string.IsNullOrWhiteSpace(entra.Audience))
            {
                failures.Add($"{at}:Audience is required: the application ID URI or client id the tokens are issued for.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
