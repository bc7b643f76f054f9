using FluentValidation;

namespace RollbackFunctions.Intake;

/// <summary>The body of <c>POST /api/rollbacks/{id}/confirm</c>: <c>{operator, note?}</c>.</summary>
public sealed record ConfirmBody(string Operator, string? Note = null)
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
