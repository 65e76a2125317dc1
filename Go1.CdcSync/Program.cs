var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddNpgsqlDataSource("go1");
builder.AddRedisClient("redis");
builder.AddKafkaConsumer<string, byte[]>("kafka", settings => settings.Config.GroupId ??= "go1-cdcsync");

var app = builder.Build();

app.MapDefaultEndpoints();

app.Run();
