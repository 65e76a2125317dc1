namespace Go1.Tests.Api;

/// <summary>The gateway the tests' APIs trust in GatewayHeaders mode: its shared secret, sent as the gateway would.</summary>
public static class TestGateway
{
    public const string Header = "X-Gateway-Secret";
    public const string Secret = "go1-test-gateway-secret";
}
