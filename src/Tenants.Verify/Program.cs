using Tenants.Verify;

// tenants-verify: checks a tenant ledger offline with nothing but its public keys.
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

return await new VerifyCommand(Console.Out, Console.Error, showProgress: !Console.IsErrorRedirected).RunAsync(args, cancel.Token);
