namespace Granary.Client.Models;

/// <summary>
/// An RFC 9457 problem as Granary sends it: <c>Code</c> is stable; <c>Line</c>, <c>Column</c> and
/// <c>Field</c> locate a fault in an uploaded file.
/// </summary>
public sealed record Problem(
    string? Type,
    string? Title,
    int? Status,
    string? Detail,
    string? Code,
    long? Line,
    long? Column,
    string? Field);
