namespace Go1.Orders.Domain;

public enum PaymentType
{
    Prepaid,
    Postpaid,
}
