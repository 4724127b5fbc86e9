namespace Mgr.Node.State;

/// <summary>Why <see cref="StateApplier"/> refused a diff (nothing was written in any case).</summary>
public enum StateApplyError
{
    /// <summary>The state after the diff does not have the expected root.</summary>
    RootMismatch,
    /// <summary>Storage changes name an account that neither exists nor is created by the diff.</summary>
    MissingAccount,
    /// <summary>An account's code hash names code that is neither stored nor carried by the diff.</summary>
    MissingCode,
    /// <summary>The parent state is incomplete in the store (a trie node is missing or malformed).</summary>
    MissingState,
}
