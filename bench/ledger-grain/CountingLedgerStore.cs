using System.Reflection;
using System.Runtime.ExceptionServices;
using Tenants.Ledger.Storage;

namespace Tenants.Bench.LedgerGrain;

/// <summary>Passes every call to the real store and counts journal appends, to show how many events each one carried.</summary>
public class CountingLedgerStore : DispatchProxy
{
    private ILedgerStore _inner = null!;
    private long _journalAppends;

    public long JournalAppends => Interlocked.Read(ref _journalAppends);

    public static (ILedgerStore Store, CountingLedgerStore Counter) Wrap(ILedgerStore inner)
    {
        var store = Create<ILedgerStore, CountingLedgerStore>();
        var counter = (CountingLedgerStore)(object)store;
        counter._inner = inner;
        return (store, counter);
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        if (targetMethod.Name == nameof(ILedgerStore.AppendJournalAsync))
        {
            Interlocked.Increment(ref _journalAppends);
        }

        try
        {
            return targetMethod.Invoke(_inner, args);
        }
        catch (TargetInvocationException ex) when (ex.InnerException is not null)
        {
            ExceptionDispatchInfo.Throw(ex.InnerException);
            throw;
        }
    }
}
