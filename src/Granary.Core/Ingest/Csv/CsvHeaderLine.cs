namespace Granary.Core.Ingest.Csv;

/// <summary>The raw bytes of the header row (its terminator removed) and the line it starts on.</summary>
internal readonly record struct CsvHeaderLine(byte[] Bytes, long Line);
