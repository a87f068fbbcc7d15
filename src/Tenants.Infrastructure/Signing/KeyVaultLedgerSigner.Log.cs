using Microsoft.Extensions.Logging;

namespace Tenants.Infrastructure.Signing;

public sealed partial class KeyVaultLedgerSigner
{
    [LoggerMessage(EventId = 7100, EventName = "KeyVaultKeyResolved", Level = LogLevel.Information,
        Message = "Ledger checkpoints are signed with Key Vault {Vault} key {KeyName} version {KeyVersion} (key id {KeyId:x8})")]
    private partial void LogKeyResolved(string vault, string keyName, string keyVersion, uint keyId);

    [LoggerMessage(EventId = 7101, EventName = "KeyVaultCheckpointSigned", Level = LogLevel.Debug,
        Message = "Signed a checkpoint with Key Vault {Vault} key {KeyName} version {KeyVersion}")]
    private partial void LogSigned(string vault, string keyName, string keyVersion);

    [LoggerMessage(EventId = 7102, EventName = "KeyVaultCallFailed", Level = LogLevel.Warning,
        Message = "Key Vault {Vault} key {KeyName}: {Operation} failed with status {Status} {ErrorCode}")]
    private partial void LogCallFailed(string vault, string keyName, string operation, int status, string errorCode);

    [LoggerMessage(EventId = 7103, EventName = "KeyVaultKeyListStale", Level = LogLevel.Warning,
        Message = "Could not refresh the versions of Key Vault key {KeyName}; still publishing the list fetched {Age} ago")]
    private partial void LogKeyListStale(Exception exception, string keyName, TimeSpan age);

    [LoggerMessage(EventId = 7104, EventName = "KeyVaultVersionSkipped", Level = LogLevel.Warning,
        Message = "Key Vault key {KeyName} version {KeyVersion} is not published as a ledger key: {Reason}")]
    private partial void LogVersionSkipped(string keyName, string keyVersion, string reason);
}
