namespace Tenants.Edge.Broker;

/// <summary>The tenant that checks a brokered sign-in could not be asked; the client is told to try again.</summary>
public sealed class PersonAuthenticatorUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
