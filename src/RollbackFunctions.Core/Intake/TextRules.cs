using FluentValidation;

namespace RollbackFunctions.Intake;

/// <summary>
/// What a text field may contain, as FluentValidation rules. Names and versions become Table keys; the rest is shown
/// to operators. A null value passes every rule: whether a field is required is the record's business.
/// </summary>
public static class TextRules
{
    public static readonly string NameMessage =
        $"must be 1-{ComponentNames.MaxLength} letters, digits, '.', '_' or '-', starting with a letter or digit (no spaces, '/', '\\', '#', '?' or control characters).";

    /// <summary>A component name (<see cref="ComponentNames"/>).</summary>
    public static IRuleBuilderOptions<T, string?> ComponentName<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(text => text is null || ComponentNames.IsValidComponent(text)).WithMessage(NameMessage);

    /// <summary>A release version (<see cref="ComponentNames"/>).</summary>
    public static IRuleBuilderOptions<T, string?> VersionName<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(text => text is null || ComponentNames.IsValidVersion(text)).WithMessage(NameMessage);

    /// <summary>A person, a requester, an incident reference, an id: one line, no control characters.</summary>
    public static IRuleBuilderOptions<T, string?> ShortText<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Text(IntakeLimits.MaxShortText, c => char.IsControl(c), "must not contain control characters.");

    /// <summary>An artifact reference, a resource id: one token, no whitespace or control characters.</summary>
    public static IRuleBuilderOptions<T, string?> Reference<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Text(IntakeLimits.MaxReference, c => char.IsControl(c) || char.IsWhiteSpace(c), "must not contain whitespace or control characters.");

    /// <summary>Free text: may hold line breaks and tabs, no other control characters.</summary>
    public static IRuleBuilderOptions<T, string?> LongText<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Text(IntakeLimits.MaxLongText, c => char.IsControl(c) && c is not ('\n' or '\r' or '\t'), "must not contain control characters other than line breaks and tabs.");

    /// <summary>Exactly the name of a member of <typeparamref name="TEnum"/>: case-sensitive, no numbers.</summary>
    public static IRuleBuilderOptions<T, string?> OneOf<T, TEnum>(this IRuleBuilder<T, string?> rule)
        where TEnum : struct, Enum =>
        rule.Must(text => text is null || Enum.GetNames<TEnum>().Contains(text, StringComparer.Ordinal))
            .WithMessage($"must be one of {string.Join(", ", Enum.GetNames<TEnum>())}.");

    /// <summary>The member named exactly <paramref name="name"/>, or null.</summary>
    public static TEnum? NameOf<TEnum>(string? name)
        where TEnum : struct, Enum =>
        name is not null && Enum.GetNames<TEnum>().Contains(name, StringComparer.Ordinal) ? Enum.Parse<TEnum>(name) : null;

    /// <summary>A name <see cref="OneOf{T, TEnum}"/> has accepted.</summary>
    public static TEnum ParseName<TEnum>(string? name)
        where TEnum : struct, Enum =>
        NameOf<TEnum>(name) ?? throw new ArgumentException($"'{name}' is not a {typeof(TEnum).Name}.", nameof(name));

    /// <summary>The reason a path or query value breaks the component name rule, or null.</summary>
    public static string? CheckComponentName(string? text) => ComponentNames.IsValidComponent(text) ? null : NameMessage;

    /// <summary>The reason a path or query value breaks the version rule, or null.</summary>
    public static string? CheckVersionName(string? text) => ComponentNames.IsValidVersion(text) ? null : NameMessage;

    private static IRuleBuilderOptions<T, string?> Text<T>(this IRuleBuilder<T, string?> rule, int maxLength, Func<char, bool> forbidden, string forbiddenMessage) =>
        rule.Must(text => text is null || !string.IsNullOrWhiteSpace(text)).WithMessage("must not be empty.")
            .Must(text => text is null || text.Length <= maxLength).WithMessage($"must be at most {maxLength} characters.")
            .Must(text => text is null || !text.Any(forbidden)).WithMessage(forbiddenMessage);
}
