using FluentValidation;

namespace RollbackFunctions.Intake;

/// <summary>A request validator: one message a field (the first rule it breaks), every field checked.</summary>
public abstract class IntakeValidator<T> : AbstractValidator<T>
{
    protected IntakeValidator() => RuleLevelCascadeMode = CascadeMode.Stop;
}
