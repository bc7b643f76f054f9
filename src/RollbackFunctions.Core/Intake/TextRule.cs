namespace RollbackFunctions.Intake;

/// <summary>What a text field may contain. Names and versions become Table keys; the rest is shown to operators.</summary>
public enum TextRule
{
    /// <summary>A component name: <see cref="Domain.ComponentNames"/>.</summary>
    ComponentName,

    /// <summary>A release version: <see cref="Domain.ComponentNames"/>.</summary>
    Version,

    /// <summary>A person, a requester, an incident reference, an id: one line, no control characters.</summary>
    ShortText,

    /// <summary>An artifact reference, a resource id: one token, no whitespace or control characters.</summary>
    Reference,

    /// <summary>Free text: may hold line breaks and tabs, no other control characters.</summary>
    LongText,
}
