using Go1.FlowCheck;

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };
return await FlowCheckCommand.RunAsync(args, Console.Out, Console.Error, cancel.Token);
