namespace Go1.Orders.Domain;

/// <summary>One or more fields are invalid; <see cref="Errors"/> maps each wire field name to what is wrong with it.</summary>
public sealed class OrderValidationException(IReadOnlyDictionary<string, string[]> errors)
    : DomainException(ErrorCodes.ValidationFailed, "One or more fields are invalid.")
{
    public IReadOnlyDictionary<string, string[]> Errors { get; } = errors;
}
