namespace Go1.Orders.Domain;

/// <summary>How the rider pays. Cash is settled after the ride; card and wallet are authorized before it.</summary>
public enum PaymentMethod
{
    Cash,
    Card,
    Wallet,
}
