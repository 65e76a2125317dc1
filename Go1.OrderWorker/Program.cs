var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddNpgsqlDataSource("go1");
builder.AddKafkaConsumer<string, byte[]>("kafka", settings => settings.Config.GroupId ??= "go1-orderworker");
builder.AddTemporalClient("temporal");

var app = builder.Build();

app.MapDefaultEndpoints();

app.Run();
