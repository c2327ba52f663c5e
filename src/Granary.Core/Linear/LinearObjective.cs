namespace Granary.Core.Linear;

/// <summary>The per-row loss a linear model minimises.</summary>
public enum LinearObjective
{
    /// <summary>0.5·(z − y)²: least squares regression.</summary>
    Squared,

    /// <summary>log(1 + e^z) − y·z with y ∈ {0, 1}: binary logistic regression.</summary>
    Logistic,

    /// <summary>−z_y + logsumexp(z) with y a class index: multinomial logistic regression.</summary>
    Softmax,
}
