namespace Go1.Orders.Domain;

/// <summary>The sub-status a cancelled order carries: why the saga ended it.</summary>
public static class CancelReasons
{
    /// <summary>An <c>OrderCanceled</c> signal (customer, support or the shipment system) before completion.</summary>
    public const string CustomerCanceled = "CUSTOMER_CANCELED";

    /// <summary>No driver was dispatched within the service's auto-cancel interval.</summary>
    public const string NoDriverFound = "NO_DRIVER_FOUND";

    /// <summary>The payment provider declined the authorization.</summary>
    public const string PaymentDeclined = "PAYMENT_DECLINED";

    /// <summary>The ride was not delivered within the configured maximum ride duration.</summary>
    public const string RideTimedOut = "RIDE_TIMED_OUT";

    /// <summary>The workflow itself was cancelled through Temporal (UI, CLI, an operator).</summary>
    public const string WorkflowCanceled = "WORKFLOW_CANCELED";

    /// <summary>A step failed for good (retries exhausted, or a rule refused it).</summary>
    public const string SagaFailed = "SAGA_FAILED";
}
