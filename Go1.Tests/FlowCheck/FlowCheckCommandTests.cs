using Go1.FlowCheck;

namespace Go1.Tests.FlowCheck;

public sealed class FlowCheckCommandTests
{
    [Fact]
    public void Arguments_override_the_defaults()
    {
        var settings = FlowCheckCommand.Parse(["--api", "http://api:8080", "--payment-method", "wallet", "--timeout", "5"], TextWriter.Null);

        Assert.NotNull(settings);
        Assert.Equal(("http://api:8080", "wallet", "5", "taxi"), (settings["api"], settings["payment-method"], settings["timeout"], settings["service"]));
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("--api")]
    [InlineData("api", "http://api")]
    [InlineData("--timeout", "0")]
    [InlineData("--timeout", "soon")]
    public async Task Wrong_arguments_exit_2_with_the_reason(params string[] args)
    {
        using var error = new StringWriter();

        Assert.Equal(2, await FlowCheckCommand.RunAsync(args, TextWriter.Null, error, TestContext.Current.CancellationToken));
        Assert.NotEmpty(error.ToString().Trim());
    }
}
