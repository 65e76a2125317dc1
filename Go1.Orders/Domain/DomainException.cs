namespace Go1.Orders.Domain;

/// <summary>A rule of the domain was broken. <see cref="Code"/> is one of <see cref="ErrorCodes"/>.</summary>
public class DomainException(string code, string message) : Exception(message)
{
    public string Code { get; } = code;
}
