namespace Granary.Core.Data;

/// <summary>One column of a dataset: its name and logical type.</summary>
public sealed record ColumnSchema(string Name, ColumnType Type);
