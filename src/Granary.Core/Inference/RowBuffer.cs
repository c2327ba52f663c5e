using System.Diagnostics.CodeAnalysis;

namespace Granary.Core.Inference;

/// <summary>
/// One input row for a <see cref="LinearPredictor"/>: a slot per feature (a number, or a categorical level
/// index) plus whether it was given. A new or <see cref="Reset"/> row has every feature missing, which scores
/// as training imputed it: the mean for numbers, the "other" level for categories. Setting a value never
/// allocates. Not thread-safe: one buffer per caller (or per request), reused across rows.
/// </summary>
public sealed class RowBuffer
{
    private readonly double[] _values;
    private readonly int[] _levels;
    private readonly bool[] _present;

    public RowBuffer(LinearPredictor predictor)
    {
        ArgumentNullException.ThrowIfNull(predictor);
        Predictor = predictor;
        _values = new double[predictor.NumericCount];
        _levels = new int[predictor.CategoricalCount];
        _present = new bool[predictor.FeatureCount];
        Reset();
    }

    public LinearPredictor Predictor { get; }

    public int FeatureCount => _present.Length;

    /// <summary>Numeric slots after imputation, in feature order.</summary>
    internal ReadOnlySpan<double> Values => _values;

    /// <summary>Level index per categorical feature ("other" when missing or unknown).</summary>
    internal ReadOnlySpan<int> Levels => _levels;

    /// <summary>Marks every feature missing.</summary>
    public void Reset()
    {
        Predictor.Means.CopyTo(_values, 0);
        for (var c = 0; c < _levels.Length; c++)
        {
            _levels[c] = Predictor.OtherLevel(c);
        }

        Array.Clear(_present);
    }

    /// <summary>The index of the feature read from column <paramref name="name"/>, or −1.</summary>
    public int FindFeature(ReadOnlySpan<char> name) => Predictor.FindFeature(name);

    /// <summary>The index of the feature named by UTF-8 text, or −1.</summary>
    public int FindFeature(ReadOnlySpan<byte> utf8Name) => Predictor.FindFeature(utf8Name);

    /// <summary>False when the feature was not set since the last <see cref="Reset"/> (or was set missing).</summary>
    public bool IsSet(int feature) => _present[feature];

    /// <summary>Marks one feature missing: imputed with the mean, or the "other" level.</summary>
    public void SetMissing(int feature)
    {
        var categorical = CheckFeature(feature);
        if (categorical < 0)
        {
            _values[feature] = Predictor.Means[feature];
        }
        else
        {
            _levels[categorical] = Predictor.OtherLevel(categorical);
        }

        _present[feature] = false;
    }

    /// <summary>
    /// A number: the value of a numeric feature (NaN means missing), or for a categorical feature the level
    /// with that invariant text ("3", "2.5") as training read numeric columns. Always true.
    /// </summary>
    public bool TrySetNumeric(int feature, double value)
    {
        if (double.IsNaN(value))
        {
            SetMissing(feature);
            return true;
        }

        var categorical = CheckFeature(feature);
        if (categorical < 0)
        {
            _values[feature] = value;
        }
        else
        {
            SetLevel(categorical, Predictor.LevelIndex(categorical).Find(value));
        }

        _present[feature] = true;
        return true;
    }

    /// <summary>A boolean: 0/1 for a numeric feature, the level "false"/"true" for a categorical one. Always true.</summary>
    public bool TrySetBoolean(int feature, bool value)
    {
        var categorical = CheckFeature(feature);
        if (categorical < 0)
        {
            _values[feature] = value ? 1.0 : 0.0;
        }
        else
        {
            SetLevel(categorical, Predictor.LevelIndex(categorical).Find(value));
        }

        _present[feature] = true;
        return true;
    }

    /// <summary>
    /// A level given as text. False (and the row unchanged) when the feature is numeric: text is not a number
    /// for this model, and the caller reports it. An unknown level scores as "other" and returns true.
    /// </summary>
    public bool TrySetCategorical(int feature, ReadOnlySpan<char> level)
    {
        var categorical = CheckFeature(feature);
        if (categorical < 0)
        {
            return false;
        }

        SetLevel(categorical, Predictor.LevelIndex(categorical).Find(level));
        _present[feature] = true;
        return true;
    }

    /// <summary>As <see cref="TrySetCategorical(int, ReadOnlySpan{char})"/> for UTF-8 text; also false when it is not valid UTF-8.</summary>
    public bool TrySetCategorical(int feature, ReadOnlySpan<byte> utf8Level)
    {
        var categorical = CheckFeature(feature);
        if (categorical < 0 || !Predictor.LevelIndex(categorical).TryFind(utf8Level, out var level))
        {
            return false;
        }

        SetLevel(categorical, level);
        _present[feature] = true;
        return true;
    }

    private void SetLevel(int categorical, int level) =>
        _levels[categorical] = level < 0 ? Predictor.OtherLevel(categorical) : level;

    /// <summary>Validates the index; returns −1 for a numeric feature, else its index among categoricals.</summary>
    private int CheckFeature(int feature)
    {
        if ((uint)feature >= (uint)_present.Length)
        {
            ThrowFeatureOutOfRange(feature, _present.Length);
        }

        return feature < _values.Length ? -1 : feature - _values.Length;
    }

    /// <summary>Kept out of line so the setters stay small enough to inline.</summary>
    [DoesNotReturn]
    private static void ThrowFeatureOutOfRange(int feature, int count) =>
        throw new ArgumentOutOfRangeException(nameof(feature), feature, $"The model has {count} features.");
}
