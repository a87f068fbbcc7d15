namespace Tenants.Api.Features.Exports.Create;

/// <summary>
/// Which events to export, as a JSON body: every filter of <c>GET /api/v1/events</c> (<see cref="Events.EventFilterRequest"/>),
/// all optional, combined with AND. An empty body exports every signed event (up to <c>Exports:MaxEvents</c>).
/// </summary>
public sealed class CreateExportRequest : Events.EventFilterRequest;
