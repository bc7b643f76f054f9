using FluentValidation;

namespace RollbackFunctions.Intake;

/// <summary>
/// The body of <c>POST /api/rollbacks/{id}/confirm</c>: <c>{operator?, note?}</c>. The audit records the authenticated
/// caller; <c>operator</c>, where sent, must be that caller (<see cref="OperatorNames"/>).
/// </summary>
public sealed record ConfirmBody(string? Operator = null, string? Note = null)
{
    public sealed class Validator : IntakeValidator<ConfirmBody>
    {
        public Validator()
        {
            RuleFor(x => x.Operator).ShortText();
            RuleFor(x => x.Note).LongText();
        }
    }
}
