using FluentValidation;

namespace RollbackFunctions.Intake;

/// <summary>The body of <c>POST /api/rollbacks/{id}/abort</c>: <c>{reason}</c>, why the operator stops the rollback.</summary>
public sealed record AbortBody(string Reason)
{
    public sealed class Validator : IntakeValidator<AbortBody>
    {
        public Validator() => RuleFor(x => x.Reason).LongText();
    }
}
